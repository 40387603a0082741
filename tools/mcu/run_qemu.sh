#!/bin/bash
# run_qemu.sh - builds the firmware of tools/mcu/main.c around an image compiled by
# `lsnn compile --emit obj --target T -o OBJ_DIR` and runs it under qemu with semihosting
# against the vectors of `lsnn run IMG --vectors FILE`.
#   usage: tools/mcu/run_qemu.sh arm|rv32 OBJ_DIR VECTORS_FILE [WORK_DIR]
# arm: Cortex-M4 (thumbv7em-none-eabi), qemu-system-arm -M mps2-an386; rv32: RV32IMC
# (riscv32-unknown-elf), qemu-system-riscv32 -M virt. Both with picolibc, 4 MB of flash and
# RAM in the link (the image's own needs are printed by lsnn compile), qemu -icount shift=0 so
# that RV32's instret counts instructions. Exit status: the firmware's (0: every tick equal).
set -euo pipefail
arch="$1" obj="$(cd "$2" && pwd)" vec="$3" work="${4:-$(mktemp -d)}"
src="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mkdir -p "$work"
cp "$vec" "$work/vectors.bin"
common=(-O2 -Wall -Wextra -Werror --specs=picolibc.specs --oslib=semihost --crt0=semihost
    -I"$obj" "$src/main.c" "$obj/lsnn_rt.c" "$obj/lsnn_image.o" -Wl,--no-warn-execstack)
case "$arch" in
arm)
    arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb "${common[@]}" \
        -Wl,--defsym=__flash=0x0 -Wl,--defsym=__flash_size=0x400000 \
        -Wl,--defsym=__ram=0x20000000 -Wl,--defsym=__ram_size=0x400000 -o "$work/fw_arm.elf"
    arm-none-eabi-size "$work/fw_arm.elf"
    cd "$work" && exec timeout 3000 qemu-system-arm -M mps2-an386 -nographic -monitor none \
        -serial none -icount shift=0 -semihosting-config enable=on,target=native \
        -kernel fw_arm.elf
    ;;
rv32)
    riscv64-unknown-elf-gcc -march=rv32imac -mabi=ilp32 "${common[@]}" \
        -Wl,--defsym=__flash=0x80000000 -Wl,--defsym=__flash_size=0x400000 \
        -Wl,--defsym=__ram=0x80400000 -Wl,--defsym=__ram_size=0x400000 -o "$work/fw_rv32.elf"
    riscv64-unknown-elf-size "$work/fw_rv32.elf"
    cd "$work" && exec timeout 3000 qemu-system-riscv32 -M virt -nographic -monitor none \
        -serial none -bios none -icount shift=0 -semihosting-config enable=on,target=native \
        -kernel fw_rv32.elf
    ;;
*)
    echo "run_qemu.sh: arch is arm or rv32" >&2
    exit 2
    ;;
esac
