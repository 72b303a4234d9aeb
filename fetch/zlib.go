package fetch

import (
	"compress/zlib"
	"fmt"
	"io"
)

func zlibReader(r io.Reader) (io.Reader, error) {
	zr, err := zlib.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("deflate body: %w", err)
	}
	return zr, nil
}
