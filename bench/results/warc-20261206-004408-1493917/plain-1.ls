$TMPDIR/scruple-warcbench.G8RAEL/data:
total 55556
-rw------- 1 root root       32 Dec  6 00:44 consent.key
-rw------- 1 root root        5 Dec  6 00:44 lock
-rw-r--r-- 1 root root      897 Dec  6 00:44 runs.jsonl
-rw-r--r-- 1 root root 56868864 Dec  6 00:44 scruple.db
-rw------- 1 root root       77 Dec  6 00:44 signing.key
-rw-r--r-- 1 root root       65 Dec  6 00:44 signing.pub
