runs/bin/lsnn-d9d2503 train models/smnist.yaml -o runs/table/deepr_official_s1 --seed 1 --threads 1
