$TMPDIR/scruple-warcbench.G8RAEL/data:
total 55560
-rw------- 1 root root       32 Dec  6 00:45 consent.key
-rw------- 1 root root        5 Dec  6 00:45 lock
-rw-r--r-- 1 root root      897 Dec  6 00:45 runs.jsonl
-rw-r--r-- 1 root root 56872960 Dec  6 00:45 scruple.db
-rw------- 1 root root       77 Dec  6 00:45 signing.key
-rw-r--r-- 1 root root       65 Dec  6 00:45 signing.pub
