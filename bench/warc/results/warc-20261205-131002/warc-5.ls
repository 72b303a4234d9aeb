/tmp/scruple-warcbench.tZvolL/data:
total 56724
-rw------- 1 root root       32 Dec  5 13:27 consent.key
-rw------- 1 root root        6 Dec  5 13:27 lock
-rw-r--r-- 1 root root      921 Dec  5 13:27 runs.jsonl
-rw-r--r-- 1 root root 58056704 Dec  5 13:27 scruple.db
-rw------- 1 root root       77 Dec  5 13:27 signing.key
-rw-r--r-- 1 root root       65 Dec  5 13:27 signing.pub
drwxr-xr-x 2 root root     4096 Dec  5 13:27 warc

/tmp/scruple-warcbench.tZvolL/data/warc:
total 32632
-rw-r--r-- 1 root root  1779350 Dec  5 13:27 index.cdxj
-rw-r--r-- 1 root root 26563971 Dec  5 13:27 scruple-20261205132705318-00001-vm-19989.warc.gz
-rw-r--r-- 1 root root  5062324 Dec  5 13:27 scruple-20261205132705318-00001-vm-19989.warc.gz.idx
