$TMPDIR/scruple-warcbench.G8RAEL/data:
total 56768
-rw------- 1 root root       32 Dec  6 00:45 consent.key
-rw------- 1 root root        5 Dec  6 00:45 lock
-rw-r--r-- 1 root root      921 Dec  6 00:45 runs.jsonl
-rw-r--r-- 1 root root 58101760 Dec  6 00:45 scruple.db
-rw------- 1 root root       77 Dec  6 00:45 signing.key
-rw-r--r-- 1 root root       65 Dec  6 00:45 signing.pub
drwxr-xr-x 2 root root     4096 Dec  6 00:45 warc

$TMPDIR/scruple-warcbench.G8RAEL/data/warc:
total 36000
-rw-r--r-- 1 root root  1773642 Dec  6 00:45 index.cdxj
-rw-r--r-- 1 root root 30009664 Dec  6 00:45 scruple-20261206004514521-00001-vm-7140.warc.gz
-rw-r--r-- 1 root root  5069096 Dec  6 00:45 scruple-20261206004514521-00001-vm-7140.warc.gz.idx
