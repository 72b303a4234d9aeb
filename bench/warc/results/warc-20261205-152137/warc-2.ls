$TMPDIR/scruple-warcbench.aVmI1t/data:
total 56744
-rw------- 1 root root       32 Dec  5 15:22 consent.key
-rw------- 1 root root        6 Dec  5 15:22 lock
-rw-r--r-- 1 root root      921 Dec  5 15:22 runs.jsonl
-rw-r--r-- 1 root root 58077184 Dec  5 15:22 scruple.db
-rw------- 1 root root       77 Dec  5 15:22 signing.key
-rw-r--r-- 1 root root       65 Dec  5 15:22 signing.pub
drwxr-xr-x 2 root root     4096 Dec  5 15:22 warc

$TMPDIR/scruple-warcbench.aVmI1t/data/warc:
total 32700
-rw-r--r-- 1 root root  1779359 Dec  5 15:22 index.cdxj
-rw-r--r-- 1 root root 26633138 Dec  5 15:22 scruple-20261205152237400-00001-vm-25844.warc.gz
-rw-r--r-- 1 root root  5062322 Dec  5 15:22 scruple-20261205152237400-00001-vm-25844.warc.gz.idx
