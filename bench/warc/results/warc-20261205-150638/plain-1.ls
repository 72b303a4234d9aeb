/tmp/scruple-warcbench.NFMmxl/data:
total 55488
-rw------- 1 root root       32 Dec  5 15:06 consent.key
-rw------- 1 root root        5 Dec  5 15:06 lock
-rw-r--r-- 1 root root      897 Dec  5 15:06 runs.jsonl
-rw-r--r-- 1 root root 56795136 Dec  5 15:06 scruple.db
-rw------- 1 root root       77 Dec  5 15:06 signing.key
-rw-r--r-- 1 root root       65 Dec  5 15:06 signing.pub
