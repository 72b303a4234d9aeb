$TMPDIR/scruple-warcbench.JG2Woy/data:
total 56744
-rw------- 1 root root       32 Dec  5 15:20 consent.key
-rw------- 1 root root        6 Dec  5 15:20 lock
-rw-r--r-- 1 root root      921 Dec  5 15:20 runs.jsonl
-rw-r--r-- 1 root root 58077184 Dec  5 15:20 scruple.db
-rw------- 1 root root       77 Dec  5 15:20 signing.key
-rw-r--r-- 1 root root       65 Dec  5 15:20 signing.pub
drwxr-xr-x 2 root root     4096 Dec  5 15:20 warc

$TMPDIR/scruple-warcbench.JG2Woy/data/warc:
total 32704
-rw-r--r-- 1 root root  1779361 Dec  5 15:20 index.cdxj
-rw-r--r-- 1 root root 26638123 Dec  5 15:20 scruple-20261205152053106-00001-vm-25229.warc.gz
-rw-r--r-- 1 root root  5062335 Dec  5 15:20 scruple-20261205152053106-00001-vm-25229.warc.gz.idx
