runs/bin/lsnn-d9d2503 train models/smnist_fast.yaml -o runs/table/deepr_fast_s1 --seed 1 --threads 1 --iters 12000
