$TMPDIR/scruple-warcbench.aVmI1t/data:
total 55544
-rw------- 1 root root       32 Dec  5 15:23 consent.key
-rw------- 1 root root        6 Dec  5 15:23 lock
-rw-r--r-- 1 root root      897 Dec  5 15:23 runs.jsonl
-rw-r--r-- 1 root root 56856576 Dec  5 15:23 scruple.db
-rw------- 1 root root       77 Dec  5 15:23 signing.key
-rw-r--r-- 1 root root       65 Dec  5 15:23 signing.pub
