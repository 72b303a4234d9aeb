$TMPDIR/scruple-warcbench.aVmI1t/data:
total 56748
-rw------- 1 root root       32 Dec  5 15:22 consent.key
-rw------- 1 root root        6 Dec  5 15:22 lock
-rw-r--r-- 1 root root      921 Dec  5 15:23 runs.jsonl
-rw-r--r-- 1 root root 58081280 Dec  5 15:23 scruple.db
-rw------- 1 root root       77 Dec  5 15:22 signing.key
-rw-r--r-- 1 root root       65 Dec  5 15:22 signing.pub
drwxr-xr-x 2 root root     4096 Dec  5 15:23 warc

$TMPDIR/scruple-warcbench.aVmI1t/data/warc:
total 32700
-rw-r--r-- 1 root root  1779359 Dec  5 15:23 index.cdxj
-rw-r--r-- 1 root root 26632781 Dec  5 15:23 scruple-20261205152256675-00001-vm-25945.warc.gz
-rw-r--r-- 1 root root  5062226 Dec  5 15:23 scruple-20261205152256675-00001-vm-25945.warc.gz.idx
