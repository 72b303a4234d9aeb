/tmp/scruple-warcbench.tZvolL/data:
total 56696
-rw------- 1 root root       32 Dec  5 13:26 consent.key
-rw------- 1 root root        6 Dec  5 13:26 lock
-rw-r--r-- 1 root root      921 Dec  5 13:26 runs.jsonl
-rw-r--r-- 1 root root 58032128 Dec  5 13:26 scruple.db
-rw------- 1 root root       77 Dec  5 13:26 signing.key
-rw-r--r-- 1 root root       65 Dec  5 13:26 signing.pub
drwxr-xr-x 2 root root     4096 Dec  5 13:26 warc

/tmp/scruple-warcbench.tZvolL/data/warc:
total 32628
-rw-r--r-- 1 root root  1779356 Dec  5 13:26 index.cdxj
-rw-r--r-- 1 root root 26563063 Dec  5 13:26 scruple-20261205132623807-00001-vm-19065.warc.gz
-rw-r--r-- 1 root root  5062124 Dec  5 13:26 scruple-20261205132623807-00001-vm-19065.warc.gz.idx
