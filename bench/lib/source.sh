# Sourced by the bench scripts: the source tree a figure belongs to.
#
# scruple_source DEST sets SRC and SRC_DESC. SCRUPLE_REF (default HEAD) is
# extracted with `git archive` into DEST, so the binaries are built from that
# commit exactly, whatever the working tree holds; SCRUPLE_REF=worktree builds
# the working tree itself and SRC_DESC then counts its changed files, so a
# figure from a dirty tree says so in its meta.txt.
scruple_source() {
	local dest=$1 ref=${SCRUPLE_REF:-HEAD}
	if [ "$ref" = worktree ]; then
		SRC=$ROOT
		SRC_DESC="$(git -C "$ROOT" rev-parse --short HEAD) + working tree ($(git -C "$ROOT" status --porcelain --untracked-files=no | wc -l) tracked files changed)"
		return
	fi
	SRC=$dest
	mkdir -p "$SRC"
	git -C "$ROOT" archive "$ref" | tar -x -C "$SRC"
	SRC_DESC="$(git -C "$ROOT" rev-parse --short "$ref^{commit}") (git archive of $ref, clean tree)"
}
