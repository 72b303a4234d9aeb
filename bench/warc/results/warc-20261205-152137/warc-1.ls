$TMPDIR/scruple-warcbench.aVmI1t/data:
total 56784
-rw------- 1 root root       32 Dec  5 15:22 consent.key
-rw------- 1 root root        6 Dec  5 15:22 lock
-rw-r--r-- 1 root root      920 Dec  5 15:22 runs.jsonl
-rw-r--r-- 1 root root 58118144 Dec  5 15:22 scruple.db
-rw------- 1 root root       77 Dec  5 15:22 signing.key
-rw-r--r-- 1 root root       65 Dec  5 15:22 signing.pub
drwxr-xr-x 2 root root     4096 Dec  5 15:22 warc

$TMPDIR/scruple-warcbench.aVmI1t/data/warc:
total 32700
-rw-r--r-- 1 root root  1779364 Dec  5 15:22 index.cdxj
-rw-r--r-- 1 root root 26632216 Dec  5 15:22 scruple-20261205152227722-00001-vm-25789.warc.gz
-rw-r--r-- 1 root root  5062101 Dec  5 15:22 scruple-20261205152227722-00001-vm-25789.warc.gz.idx
