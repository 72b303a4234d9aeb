$TMPDIR/scruple-warcbench.aVmI1t/data:
total 55540
-rw------- 1 root root       32 Dec  5 15:22 consent.key
-rw------- 1 root root        6 Dec  5 15:22 lock
-rw-r--r-- 1 root root      897 Dec  5 15:22 runs.jsonl
-rw-r--r-- 1 root root 56852480 Dec  5 15:22 scruple.db
-rw------- 1 root root       77 Dec  5 15:22 signing.key
-rw-r--r-- 1 root root       65 Dec  5 15:22 signing.pub
