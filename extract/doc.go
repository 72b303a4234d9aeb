// Package extract turns fetched response bodies into the facts the crawler
// needs: UTF-8 text, the document title and language, outgoing links, robots
// directives, and structural signals for the public-access classifier.
//
// Everything here is a pure function of its inputs: no network access, no
// package-level mutable state, and no panics on hostile input. HTML is read
// with the streaming tokenizer of golang.org/x/net/html (never a DOM), so the
// cost is linear in the size of the document and memory is bounded by
// [Options].
package extract
