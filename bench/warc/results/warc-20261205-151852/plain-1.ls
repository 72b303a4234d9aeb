$TMPDIR/scruple-warcbench.JG2Woy/data:
total 55524
-rw------- 1 root root       32 Dec  5 15:20 consent.key
-rw------- 1 root root        6 Dec  5 15:20 lock
-rw-r--r-- 1 root root      897 Dec  5 15:20 runs.jsonl
-rw-r--r-- 1 root root 56832000 Dec  5 15:20 scruple.db
-rw------- 1 root root       77 Dec  5 15:20 signing.key
-rw-r--r-- 1 root root       65 Dec  5 15:20 signing.pub
