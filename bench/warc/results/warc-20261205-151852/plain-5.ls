$TMPDIR/scruple-warcbench.JG2Woy/data:
total 55548
-rw------- 1 root root       32 Dec  5 15:21 consent.key
-rw------- 1 root root        6 Dec  5 15:21 lock
-rw-r--r-- 1 root root      897 Dec  5 15:21 runs.jsonl
-rw-r--r-- 1 root root 56860672 Dec  5 15:21 scruple.db
-rw------- 1 root root       77 Dec  5 15:21 signing.key
-rw-r--r-- 1 root root       65 Dec  5 15:21 signing.pub
