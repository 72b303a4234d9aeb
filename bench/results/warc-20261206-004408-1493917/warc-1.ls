$TMPDIR/scruple-warcbench.G8RAEL/data:
total 56764
-rw------- 1 root root       32 Dec  6 00:44 consent.key
-rw------- 1 root root        5 Dec  6 00:44 lock
-rw-r--r-- 1 root root      921 Dec  6 00:44 runs.jsonl
-rw-r--r-- 1 root root 58101760 Dec  6 00:44 scruple.db
-rw------- 1 root root       77 Dec  6 00:44 signing.key
-rw-r--r-- 1 root root       65 Dec  6 00:44 signing.pub
drwxr-xr-x 2 root root     4096 Dec  6 00:44 warc

$TMPDIR/scruple-warcbench.G8RAEL/data/warc:
total 36000
-rw-r--r-- 1 root root  1773641 Dec  6 00:44 index.cdxj
-rw-r--r-- 1 root root 30010062 Dec  6 00:44 scruple-20261206004447055-00001-vm-6949.warc.gz
-rw-r--r-- 1 root root  5069228 Dec  6 00:44 scruple-20261206004447055-00001-vm-6949.warc.gz.idx
