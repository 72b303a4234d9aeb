/tmp/scruple-warcbench.tZvolL/data:
total 55480
-rw------- 1 root root       32 Dec  5 13:25 consent.key
-rw------- 1 root root        6 Dec  5 13:25 lock
-rw-r--r-- 1 root root      897 Dec  5 13:26 runs.jsonl
-rw-r--r-- 1 root root 56791040 Dec  5 13:26 scruple.db
-rw------- 1 root root       77 Dec  5 13:25 signing.key
-rw-r--r-- 1 root root       65 Dec  5 13:25 signing.pub
