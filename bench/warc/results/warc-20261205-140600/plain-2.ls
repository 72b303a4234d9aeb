/tmp/scruple-warcbench.5jNM7y/data:
total 55508
-rw------- 1 root root       32 Dec  5 14:20 consent.key
-rw------- 1 root root        5 Dec  5 14:20 lock
-rw-r--r-- 1 root root      897 Dec  5 14:21 runs.jsonl
-rw-r--r-- 1 root root 56819712 Dec  5 14:21 scruple.db
-rw------- 1 root root       77 Dec  5 14:20 signing.key
-rw-r--r-- 1 root root       65 Dec  5 14:20 signing.pub
