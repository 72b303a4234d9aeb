$TMPDIR/scruple-warcbench.JG2Woy/data:
total 56772
-rw------- 1 root root       32 Dec  5 15:21 consent.key
-rw------- 1 root root        6 Dec  5 15:21 lock
-rw-r--r-- 1 root root      921 Dec  5 15:21 runs.jsonl
-rw-r--r-- 1 root root 58109952 Dec  5 15:21 scruple.db
-rw------- 1 root root       77 Dec  5 15:21 signing.key
-rw-r--r-- 1 root root       65 Dec  5 15:21 signing.pub
drwxr-xr-x 2 root root     4096 Dec  5 15:21 warc

$TMPDIR/scruple-warcbench.JG2Woy/data/warc:
total 32704
-rw-r--r-- 1 root root  1779362 Dec  5 15:21 index.cdxj
-rw-r--r-- 1 root root 26637295 Dec  5 15:21 scruple-20261205152120839-00001-vm-25411.warc.gz
-rw-r--r-- 1 root root  5062189 Dec  5 15:21 scruple-20261205152120839-00001-vm-25411.warc.gz.idx
