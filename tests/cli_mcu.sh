# cli_mcu.sh - `lsnn compile --emit obj`: the image as an object file for a Cortex-M4, an RV32
# core, x86_64 and aarch64. The firmware of tools/mcu/ runs every test sequence on qemu
# (Cortex-M4: mps2-an386; RV32: virt) and natively on x86_64, against the reference's
# per-tick state digests (`lsnn run --vectors`); aarch64 is checked with llvm-readobj. Skips
# (77) where the cross compilers or qemu are missing (tools/setup.sh installs them).
# usage: bash cli_mcu.sh LSNN_BINARY SOURCE_DIR TMPDIR
# shellcheck disable=SC2015 # "[ test ] && ok ... || fail ...": ok and fail always succeed
# shellcheck source=lib_cli.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib_cli.sh"

for tool in arm-none-eabi-gcc riscv64-unknown-elf-gcc qemu-system-arm qemu-system-riscv32 llvm-readobj-14; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "cli_mcu: $tool is missing (tools/setup.sh installs it): skipped"
        exit 77
    fi
done

tiny_spec tiny.yaml 3 12 16
if ! train tiny.yaml -o RUN --iters 4; then
    fail "lsnn train tiny.yaml"
    report
    exit 1
fi
mcu="$SRC/tools/mcu"
for t in thumbv7em-none-eabi riscv32-unknown-elf x86_64 aarch64; do
    "$LSNN" compile RUN -o "OBJ_$t" --emit obj --target "$t" >"c_$t.txt" 2>&1 &&
        [ -s "OBJ_$t/lsnn_image.o" ] && [ -s "OBJ_$t/lsnn_image.h" ] && [ -s "OBJ_$t/lsnn_rt.c" ] &&
        ok "compile --emit obj --target $t: object, header and runtime" || fail "compile --target $t: $(tail -3 "c_$t.txt")"
done
check "compile --emit obj reports the sizes and the 256 KB / 64 KB question" grep -q '^a 256 KB-flash / 64 KB-RAM part: fits' c_thumbv7em-none-eabi.txt
"$LSNN" compile RUN -o OBJ_J --emit obj --target riscv32-unknown-elf --json >cj.txt 2>&1
check "compile --emit obj --json: the object's sizes" grep -q '"object": {"target": "riscv32-unknown-elf", "text_bytes": [0-9]*, "rodata_bytes": [0-9]*, ' cj.txt
"$LSNN" compile RUN -o OBJ_X --emit obj --target mips >cx.txt 2>&1
[ $? -eq 1 ] && grep -q "the LLVM backend emits for thumbv7em-none-eabi, riscv32-unknown-elf, x86_64, aarch64" cx.txt &&
    ok "an unknown --target names the targets" || fail "--target mips: $(cat cx.txt)"
"$LSNN" compile RUN -o OBJ_Y --target x86_64 >cy.txt 2>&1
[ $? -eq 2 ] && ok "--target without --emit obj is a usage error" || fail "--target alone: $(cat cy.txt)"

# every test sequence, every tick, on each machine
"$LSNN" run OBJ_x86_64 --samples 0 --vectors all.vec >run.txt 2>&1 || fail "run --vectors: $(tail -2 run.txt)"
bash "$mcu/run_qemu.sh" arm OBJ_thumbv7em-none-eabi all.vec arm >arm.txt 2>&1
rc=$?
[ $rc -eq 0 ] && grep -q '^mcu: 16 sequences, 1616 ticks, mismatches=0, [0-9.]* instructions per tick (SysTick' arm.txt &&
    ok "Cortex-M4 (qemu mps2-an386): $(tail -1 arm.txt)" || fail "Cortex-M4 (exit $rc): $(tail -5 arm.txt)"
bash "$mcu/run_qemu.sh" rv32 OBJ_riscv32-unknown-elf all.vec rv32 >rv.txt 2>&1
rc=$?
[ $rc -eq 0 ] && grep -q '^mcu: 16 sequences, 1616 ticks, mismatches=0, [0-9.]* instructions per tick (instret)' rv.txt &&
    ok "RV32 (qemu virt): $(tail -1 rv.txt)" || fail "RV32 (exit $rc): $(tail -5 rv.txt)"
cc -O2 -std=c11 -Wall -Wextra -Werror -DVECTORS_PATH='"all.vec"' -IOBJ_x86_64 "$mcu/main.c" OBJ_x86_64/lsnn_rt.c \
    OBJ_x86_64/lsnn_image.o -o host_fw >cc.txt 2>&1 || fail "link the x86_64 object natively: $(cat cc.txt)"
./host_fw >host.txt 2>&1 && grep -q '^mcu: 16 sequences, 1616 ticks, mismatches=0$' host.txt &&
    ok "x86_64, linked and run natively: $(cat host.txt)" || fail "x86_64 native: $(cat host.txt)"
llvm-readobj-14 --file-headers --symbols OBJ_aarch64/lsnn_image.o >a64.txt 2>&1
grep -q 'Machine: EM_AARCH64' a64.txt && grep -q 'Name: lsnn_nc_tick' a64.txt && grep -q 'Name: lsnn_nc_event' a64.txt &&
    ok "aarch64: an AArch64 ELF object with the API's symbols (llvm-readobj)" || fail "aarch64 object: $(head -20 a64.txt)"

# a divergence is caught: vectors of another network
tiny_spec tiny2.yaml 4 12 16
train tiny2.yaml -o RUN2 --iters 4 >/dev/null 2>&1
"$LSNN" compile RUN2 -o IMG2 >/dev/null 2>&1
"$LSNN" run IMG2 --samples 2 --vectors other.vec >/dev/null 2>&1
bash "$mcu/run_qemu.sh" rv32 OBJ_riscv32-unknown-elf other.vec rv32b >rvb.txt 2>&1
rc=$?
[ $rc -eq 1 ] && grep -q '^mcu: FIRST DIVERGENCE at sequence 0, tick [0-9]* (state digest)' rvb.txt &&
    ok "the firmware reports the first divergence: $(grep DIVERGENCE rvb.txt)" || fail "divergence not caught (exit $rc): $(tail -3 rvb.txt)"
report
