#!/bin/sh
# Instructions per phase-sample of the metrology kernel on the Cortex-M4: runs
# the bench image (bench/metrology_guest.cpp, built by the mps2-an386 preset)
# in QEMU with one instruction per nanosecond of virtual time and prints what
# it reports. Bounded by a timeout; exits non-zero if the image fails.
# Usage: bench/metrology_guest.sh [build/mps2-an386/targets/mps2-an386/bench-metrology.elf]
set -eu
image=${1:-build/mps2-an386/targets/mps2-an386/bench-metrology.elf}
exec timeout 300 qemu-system-arm -machine mps2-an386 -icount shift=0 -display none -monitor none \
  -semihosting-config enable=on,target=native -serial stdio -kernel "$image"
