package scantest

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

// ValidateSARIF checks data against the properties the SARIF 2.1.0 schema
// requires, and the constraints between them, for the subset scruple
// writes: version and $schema; runs with tool.driver.name and rules with
// unique ids; results with message.text, a known level, a ruleIndex that
// names the rule of its ruleId, and locations with an artifact uri and a
// region of positive lines and columns, end not before start; invocations
// with executionSuccessful; notifications with message.text.
func ValidateSARIF(data []byte) error {
	var doc struct {
		Schema  *string `json:"$schema"`
		Version *string `json:"version"`
		Runs    []struct {
			Tool *struct {
				Driver *struct {
					Name  *string `json:"name"`
					Rules []struct {
						ID               *string    `json:"id"`
						ShortDescription *sarifText `json:"shortDescription"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			ColumnKind *string `json:"columnKind"`
			Results    []struct {
				RuleID    *string    `json:"ruleId"`
				RuleIndex *int       `json:"ruleIndex"`
				Level     *string    `json:"level"`
				Message   *sarifText `json:"message"`
				Locations []struct {
					PhysicalLocation *struct {
						ArtifactLocation *struct {
							URI *string `json:"uri"`
						} `json:"artifactLocation"`
						Region *struct {
							StartLine, StartColumn, EndLine, EndColumn *int
							ByteOffset, ByteLength                     *int
						} `json:"region"`
					} `json:"physicalLocation"`
					LogicalLocations []struct {
						FullyQualifiedName *string `json:"fullyQualifiedName"`
					} `json:"logicalLocations"`
				} `json:"locations"`
			} `json:"results"`
			Invocations []struct {
				ExecutionSuccessful *bool `json:"executionSuccessful"`
				Notifications       []struct {
					Message *sarifText `json:"message"`
				} `json:"toolExecutionNotifications"`
			} `json:"invocations"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return err
	}
	if doc.Version == nil || *doc.Version != "2.1.0" {
		return errors.New(`version must be "2.1.0"`)
	}
	if doc.Schema == nil || *doc.Schema == "" {
		return errors.New("$schema missing")
	}
	if doc.Runs == nil {
		return errors.New("runs missing")
	}
	for ri, run := range doc.Runs {
		if run.Tool == nil || run.Tool.Driver == nil || run.Tool.Driver.Name == nil || *run.Tool.Driver.Name == "" {
			return fmt.Errorf("runs[%d].tool.driver.name missing", ri)
		}
		if run.ColumnKind != nil && *run.ColumnKind != "utf16CodeUnits" && *run.ColumnKind != "unicodeCodePoints" {
			return fmt.Errorf("runs[%d].columnKind %q", ri, *run.ColumnKind)
		}
		var ids []string
		for i, r := range run.Tool.Driver.Rules {
			if r.ID == nil || *r.ID == "" || slices.Contains(ids, *r.ID) {
				return fmt.Errorf("rules[%d].id missing or repeated", i)
			}
			if r.ShortDescription == nil || r.ShortDescription.Text == nil {
				return fmt.Errorf("rules[%d].shortDescription.text missing", i)
			}
			ids = append(ids, *r.ID)
		}
		for i, res := range run.Results {
			if res.Message == nil || res.Message.Text == nil || *res.Message.Text == "" {
				return fmt.Errorf("results[%d].message.text missing", i)
			}
			if res.Level != nil && !slices.Contains([]string{"none", "note", "warning", "error"}, *res.Level) {
				return fmt.Errorf("results[%d].level %q", i, *res.Level)
			}
			if res.RuleIndex != nil && (*res.RuleIndex < 0 || *res.RuleIndex >= len(ids) ||
				res.RuleID == nil || ids[*res.RuleIndex] != *res.RuleID) {
				return fmt.Errorf("results[%d].ruleIndex does not name its ruleId", i)
			}
			if len(res.Locations) == 0 {
				return fmt.Errorf("results[%d].locations missing", i)
			}
			for _, l := range res.Locations {
				p := l.PhysicalLocation
				if p == nil || p.ArtifactLocation == nil || p.ArtifactLocation.URI == nil || *p.ArtifactLocation.URI == "" {
					return fmt.Errorf("results[%d]: physicalLocation.artifactLocation.uri missing", i)
				}
				g := p.Region
				if g == nil && len(l.LogicalLocations) > 0 && l.LogicalLocations[0].FullyQualifiedName != nil {
					continue // a cell or a part: located logically (SARIF 3.33)
				}
				if g == nil || g.StartLine == nil || *g.StartLine < 1 || g.StartColumn == nil || *g.StartColumn < 1 ||
					g.EndLine == nil || *g.EndLine < *g.StartLine || g.EndColumn == nil || *g.EndColumn < 1 ||
					*g.EndLine == *g.StartLine && *g.EndColumn < *g.StartColumn {
					return fmt.Errorf("results[%d]: bad region", i)
				}
				if (g.ByteOffset == nil) != (g.ByteLength == nil) ||
					g.ByteOffset != nil && (*g.ByteOffset < 0 || *g.ByteLength < 0) {
					return fmt.Errorf("results[%d]: bad byteOffset/byteLength", i)
				}
			}
		}
		for _, inv := range run.Invocations {
			if inv.ExecutionSuccessful == nil {
				return errors.New("invocations[].executionSuccessful missing")
			}
			for _, n := range inv.Notifications {
				if n.Message == nil || n.Message.Text == nil {
					return errors.New("notification message.text missing")
				}
			}
		}
	}
	return nil
}

type sarifText struct {
	Text *string `json:"text"`
}
