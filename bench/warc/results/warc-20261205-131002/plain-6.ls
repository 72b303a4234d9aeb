/tmp/scruple-warcbench.tZvolL/data:
total 55492
-rw------- 1 root root       32 Dec  5 13:27 consent.key
-rw------- 1 root root        6 Dec  5 13:27 lock
-rw-r--r-- 1 root root      897 Dec  5 13:27 runs.jsonl
-rw-r--r-- 1 root root 56799232 Dec  5 13:27 scruple.db
-rw------- 1 root root       77 Dec  5 13:27 signing.key
-rw-r--r-- 1 root root       65 Dec  5 13:27 signing.pub
