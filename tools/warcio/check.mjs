// check.mjs: walk every record of the WARC files named on the command line
// with webrecorder's warcio (an implementation scruple did not write),
// recompute every WARC-Block-Digest and WARC-Payload-Digest from the bytes,
// check that every revisit refers to an archived payload, and index the files
// with warcio's own CDXJ indexer. Prints one JSON object:
//   {"files":N,"records":N,"types":{...},"problems":[...],"cdxj":[...]}
// Exit status 0 means the script ran; the caller judges "problems".
import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import { WARCParser, CDXIndexer } from "warcio";

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function decodeDigest(value) {
  const i = value.indexOf(":");
  if (i < 0) return null;
  const algo = value.slice(0, i).toLowerCase().replace("-", "");
  const enc = value.slice(i + 1);
  let bytes;
  if (/^[0-9a-fA-F]+$/.test(enc) && (enc.length === 40 || enc.length === 64 || enc.length === 128)) {
    bytes = Buffer.from(enc, "hex");
  } else {
    let bits = 0, acc = 0;
    const out = [];
    for (const c of enc.replace(/=+$/, "").toUpperCase()) {
      const v = BASE32.indexOf(c);
      if (v < 0) return null;
      acc = (acc << 5) | v;
      bits += 5;
      if (bits >= 8) { out.push((acc >>> (bits - 8)) & 0xff); bits -= 8; }
    }
    bytes = Buffer.from(out);
  }
  return { algo, bytes };
}

function matches(value, data) {
  const d = decodeDigest(value);
  if (!d) return false;
  const names = { sha256: "sha256", sha1: "sha1", sha512: "sha512", md5: "md5" };
  if (!names[d.algo]) return false;
  const h = crypto.createHash(names[d.algo]).update(data).digest();
  return h.equals(d.bytes);
}

function headerEnd(buf) {
  for (let i = 0; i + 3 < buf.length; i++) {
    if (buf[i] === 13 && buf[i + 1] === 10 && buf[i + 2] === 13 && buf[i + 3] === 10) return i + 4;
  }
  return -1;
}

const files = process.argv.slice(2);
const result = { files: files.length, records: 0, types: {}, problems: [], cdxj: [] };
const payloads = new Set();
const revisits = [];

for (const file of files) {
  const parser = new WARCParser(fs.createReadStream(file), { parseHttp: false });
  let n = 0;
  for await (const record of parser) {
    n++;
    result.records++;
    const type = record.warcType;
    result.types[type] = (result.types[type] || 0) + 1;
    const where = `${path.basename(file)} record ${n} (${type} ${record.warcHeader("WARC-Record-ID")})`;
    const block = Buffer.from(await record.readFully(false));
    if (block.length !== record.warcContentLength) {
      result.problems.push(`${where}: Content-Length ${record.warcContentLength}, block of ${block.length} bytes`);
    }
    const bd = record.warcBlockDigest;
    if (!bd) {
      if (type !== "warcinfo") result.problems.push(`${where}: no WARC-Block-Digest`);
    } else if (!matches(bd, block)) {
      result.problems.push(`${where}: WARC-Block-Digest does not match the block`);
    }
    const pd = record.warcPayloadDigest;
    let payload = null;
    if (type === "response" || type === "request") {
      const end = headerEnd(block);
      if (end < 0) result.problems.push(`${where}: HTTP header block has no end`);
      else payload = block.subarray(end);
    } else if (type === "conversion" || type === "resource") {
      payload = block;
    }
    if (type === "revisit") {
      if (!pd) result.problems.push(`${where}: revisit without WARC-Payload-Digest`);
      else revisits.push({ where, pd });
    } else if (pd) {
      if (payload === null) result.problems.push(`${where}: WARC-Payload-Digest on a record without a payload`);
      else if (!matches(pd, payload)) result.problems.push(`${where}: WARC-Payload-Digest does not match the payload`);
      if (type === "response") payloads.add(pd.toLowerCase());
    } else if (type === "response") {
      result.problems.push(`${where}: response without WARC-Payload-Digest`);
    }
  }
  if (n === 0) result.problems.push(`${path.basename(file)}: no record`);
}
for (const r of revisits) {
  if (!payloads.has(r.pd.toLowerCase())) result.problems.push(`${r.where}: refers to a payload no response archives`);
}

const indexer = new CDXIndexer({ format: "cdxj" });
const inputs = files.map((f) => ({ filename: path.basename(f), reader: fs.createReadStream(f) }));
for await (const cdx of indexer.iterIndex(inputs)) {
  result.cdxj.push(indexer.serialize(cdx).trimEnd());
}
process.stdout.write(JSON.stringify(result) + "\n");
