/tmp/scruple-warcbench.sdMpCp/data:
total 55464
-rw------- 1 root root       32 Dec  5 14:05 consent.key
-rw------- 1 root root        6 Dec  5 14:05 lock
-rw-r--r-- 1 root root      897 Dec  5 14:05 runs.jsonl
-rw-r--r-- 1 root root 56774656 Dec  5 14:05 scruple.db
-rw------- 1 root root       77 Dec  5 14:05 signing.key
-rw-r--r-- 1 root root       65 Dec  5 14:05 signing.pub
