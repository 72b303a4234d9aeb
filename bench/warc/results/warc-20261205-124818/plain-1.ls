/tmp/scruple-warcbench.4BWc2a/data:
total 55476
-rw------- 1 root root       32 Dec  5 12:48 consent.key
-rw------- 1 root root        6 Dec  5 12:48 lock
-rw-r--r-- 1 root root      765 Dec  5 12:48 runs.jsonl
-rw-r--r-- 1 root root 56786944 Dec  5 12:48 scruple.db
-rw------- 1 root root       77 Dec  5 12:48 signing.key
-rw-r--r-- 1 root root       65 Dec  5 12:48 signing.pub
