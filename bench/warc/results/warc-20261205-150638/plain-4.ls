/tmp/scruple-warcbench.NFMmxl/data:
total 55496
-rw------- 1 root root       32 Dec  5 15:07 consent.key
-rw------- 1 root root        5 Dec  5 15:07 lock
-rw-r--r-- 1 root root      897 Dec  5 15:07 runs.jsonl
-rw-r--r-- 1 root root 56803328 Dec  5 15:07 scruple.db
-rw------- 1 root root       77 Dec  5 15:07 signing.key
-rw-r--r-- 1 root root       65 Dec  5 15:07 signing.pub
