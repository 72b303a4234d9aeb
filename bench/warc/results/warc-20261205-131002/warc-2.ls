/tmp/scruple-warcbench.tZvolL/data:
total 56712
-rw------- 1 root root       32 Dec  5 13:26 consent.key
-rw------- 1 root root        6 Dec  5 13:26 lock
-rw-r--r-- 1 root root      921 Dec  5 13:26 runs.jsonl
-rw-r--r-- 1 root root 58044416 Dec  5 13:26 scruple.db
-rw------- 1 root root       77 Dec  5 13:26 signing.key
-rw-r--r-- 1 root root       65 Dec  5 13:26 signing.pub
drwxr-xr-x 2 root root     4096 Dec  5 13:26 warc

/tmp/scruple-warcbench.tZvolL/data/warc:
total 32632
-rw-r--r-- 1 root root  1779352 Dec  5 13:26 index.cdxj
-rw-r--r-- 1 root root 26563303 Dec  5 13:26 scruple-20261205132604798-00001-vm-18453.warc.gz
-rw-r--r-- 1 root root  5062191 Dec  5 13:26 scruple-20261205132604798-00001-vm-18453.warc.gz.idx
