$TMPDIR/scruple-warcbench.aVmI1t/data:
total 56744
-rw------- 1 root root       32 Dec  5 15:23 consent.key
-rw------- 1 root root        6 Dec  5 15:23 lock
-rw-r--r-- 1 root root      921 Dec  5 15:23 runs.jsonl
-rw-r--r-- 1 root root 58081280 Dec  5 15:23 scruple.db
-rw------- 1 root root       77 Dec  5 15:23 signing.key
-rw-r--r-- 1 root root       65 Dec  5 15:23 signing.pub
drwxr-xr-x 2 root root     4096 Dec  5 15:23 warc

$TMPDIR/scruple-warcbench.aVmI1t/data/warc:
total 32696
-rw-r--r-- 1 root root  1779361 Dec  5 15:23 index.cdxj
-rw-r--r-- 1 root root 26632582 Dec  5 15:23 scruple-20261205152316503-00001-vm-26079.warc.gz
-rw-r--r-- 1 root root  5062181 Dec  5 15:23 scruple-20261205152316503-00001-vm-26079.warc.gz.idx
