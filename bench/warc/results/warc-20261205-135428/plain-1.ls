/tmp/scruple-warcbench.sdMpCp/data:
total 55504
-rw------- 1 root root       32 Dec  5 14:04 consent.key
-rw------- 1 root root        6 Dec  5 14:04 lock
-rw-r--r-- 1 root root      897 Dec  5 14:04 runs.jsonl
-rw-r--r-- 1 root root 56815616 Dec  5 14:04 scruple.db
-rw------- 1 root root       77 Dec  5 14:04 signing.key
-rw-r--r-- 1 root root       65 Dec  5 14:04 signing.pub
