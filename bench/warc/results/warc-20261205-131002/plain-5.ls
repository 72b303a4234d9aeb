/tmp/scruple-warcbench.tZvolL/data:
total 55496
-rw------- 1 root root       32 Dec  5 13:26 consent.key
-rw------- 1 root root        6 Dec  5 13:26 lock
-rw-r--r-- 1 root root      896 Dec  5 13:27 runs.jsonl
-rw-r--r-- 1 root root 56803328 Dec  5 13:27 scruple.db
-rw------- 1 root root       77 Dec  5 13:26 signing.key
-rw-r--r-- 1 root root       65 Dec  5 13:26 signing.pub
