/tmp/scruple-warcbench.tZvolL/data:
total 56708
-rw------- 1 root root       32 Dec  5 13:25 consent.key
-rw------- 1 root root        6 Dec  5 13:25 lock
-rw-r--r-- 1 root root      920 Dec  5 13:25 runs.jsonl
-rw-r--r-- 1 root root 58044416 Dec  5 13:25 scruple.db
-rw------- 1 root root       77 Dec  5 13:25 signing.key
-rw-r--r-- 1 root root       65 Dec  5 13:25 signing.pub
drwxr-xr-x 2 root root     4096 Dec  5 13:25 warc

/tmp/scruple-warcbench.tZvolL/data/warc:
total 32628
-rw-r--r-- 1 root root  1779354 Dec  5 13:25 index.cdxj
-rw-r--r-- 1 root root 26562033 Dec  5 13:25 scruple-20261205132552232-00001-vm-18213.warc.gz
-rw-r--r-- 1 root root  5062079 Dec  5 13:25 scruple-20261205132552232-00001-vm-18213.warc.gz.idx
