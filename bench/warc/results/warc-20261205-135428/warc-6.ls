/tmp/scruple-warcbench.sdMpCp/data:
total 56668
-rw------- 1 root root       32 Dec  5 14:05 consent.key
-rw------- 1 root root        6 Dec  5 14:05 lock
-rw-r--r-- 1 root root      921 Dec  5 14:05 runs.jsonl
-rw-r--r-- 1 root root 58003456 Dec  5 14:05 scruple.db
-rw------- 1 root root       77 Dec  5 14:05 signing.key
-rw-r--r-- 1 root root       65 Dec  5 14:05 signing.pub
drwxr-xr-x 2 root root     4096 Dec  5 14:05 warc

/tmp/scruple-warcbench.sdMpCp/data/warc:
total 32636
-rw-r--r-- 1 root root  1779355 Dec  5 14:05 index.cdxj
-rw-r--r-- 1 root root 26568611 Dec  5 14:05 scruple-20261205140543917-00001-vm-17201.warc.gz
-rw-r--r-- 1 root root  5062177 Dec  5 14:05 scruple-20261205140543917-00001-vm-17201.warc.gz.idx
