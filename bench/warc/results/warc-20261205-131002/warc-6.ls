/tmp/scruple-warcbench.tZvolL/data:
total 56700
-rw------- 1 root root       32 Dec  5 13:27 consent.key
-rw------- 1 root root        6 Dec  5 13:27 lock
-rw-r--r-- 1 root root      920 Dec  5 13:27 runs.jsonl
-rw-r--r-- 1 root root 58032128 Dec  5 13:27 scruple.db
-rw------- 1 root root       77 Dec  5 13:27 signing.key
-rw-r--r-- 1 root root       65 Dec  5 13:27 signing.pub
drwxr-xr-x 2 root root     4096 Dec  5 13:27 warc

/tmp/scruple-warcbench.tZvolL/data/warc:
total 32628
-rw-r--r-- 1 root root  1779356 Dec  5 13:27 index.cdxj
-rw-r--r-- 1 root root 26563642 Dec  5 13:27 scruple-20261205132723371-00001-vm-20168.warc.gz
-rw-r--r-- 1 root root  5062245 Dec  5 13:27 scruple-20261205132723371-00001-vm-20168.warc.gz.idx
