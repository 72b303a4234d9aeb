/tmp/scruple-warcbench.tZvolL/data:
total 56716
-rw------- 1 root root       32 Dec  5 13:26 consent.key
-rw------- 1 root root        6 Dec  5 13:26 lock
-rw-r--r-- 1 root root      921 Dec  5 13:26 runs.jsonl
-rw-r--r-- 1 root root 58048512 Dec  5 13:26 scruple.db
-rw------- 1 root root       77 Dec  5 13:26 signing.key
-rw-r--r-- 1 root root       65 Dec  5 13:26 signing.pub
drwxr-xr-x 2 root root     4096 Dec  5 13:26 warc

/tmp/scruple-warcbench.tZvolL/data/warc:
total 32628
-rw-r--r-- 1 root root  1779355 Dec  5 13:26 index.cdxj
-rw-r--r-- 1 root root 26562941 Dec  5 13:26 scruple-20261205132645249-00001-vm-19464.warc.gz
-rw-r--r-- 1 root root  5062112 Dec  5 13:26 scruple-20261205132645249-00001-vm-19464.warc.gz.idx
