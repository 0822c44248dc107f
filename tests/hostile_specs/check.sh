#!/usr/bin/env bash
# Hostile-spec suite: one case per run (check.sh METERGEN SOURCE_DIR CASE). Each
# case builds its input in a fresh temporary folder (symbolic links, FIFOs and
# large files are made here, never committed), runs metergen under a memory and
# a time limit, and compares the exit code and the whole of stderr with the
# expectation written below by hand. Exit 77: skipped.
set -euo pipefail
metergen=$1
source_dir=$2
case_name=$3
catalog=$source_dir/specs/catalog
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

# The smallest valid spec, one section per line so that positions are easy to
# count: line 2 is the imports, line 3 the model.
base_spec() {
  cat <<SPEC
format: 1
imports: [$catalog/electricity.yaml, $catalog/general.yaml]
model: {id: hostile, vendor: Test, name: Hostile}
hardware: {phases: 3, networks: [3P4W], connection: direct}
associations:
  - {name: public, sap: 16, authentication: none, access: [{groups: [clock], attributes: read}]}
  - {name: management, sap: 1, authentication: lls, access: [{all: true, attributes: read_write, methods: access}]}
SPEC
}

# A spec importing one file (line 2, column 11 is the path) and nothing else.
importing() {
  printf 'format: 1\nimports: [%s]\n' "$1"
}

# expect RC STDERR COMMAND...: the exit code and the whole of stderr, under 1 GB
# of address space and 60 s (the slowest case takes about 5 s on an idle machine).
expect() {
  local want_rc=$1 want_err=$2
  shift 2
  local rc=0
  (ulimit -v 1048576; exec timeout -s KILL 60 "$@") >stdout 2>stderr || rc=$?
  local err
  err=$(cat stderr)
  if [ "$rc" != "$want_rc" ] || [ "$err" != "$want_err" ]; then
    printf 'case %s: %s\n  exit code %s, expected %s\n  stderr:   %s\n  expected: %s\n' \
      "$case_name" "$*" "$rc" "$want_rc" "$err" "$want_err" >&2
    exit 1
  fi
}

# expect_no_output DIR: generate wrote nothing.
expect_no_output() {
  if [ -e "$1" ]; then echo "case $case_name: $1 was written despite the error" >&2; exit 1; fi
}

case $case_name in
  base_spec_is_valid)
    base_spec > spec.yaml
    expect 0 "" "$metergen" validate spec.yaml --allow-dir "$source_dir/specs"
    ;;
  non_utf8_string)
    # The scalar starts at its quote: column 42.
    base_spec | sed '3s/name: Hostile/name: "Bad \xff name"/' > spec.yaml
    expect 1 "spec.yaml:3:42: error: string is not valid UTF-8 (byte 0xff at offset 4); expected UTF-8 text" \
      "$metergen" generate spec.yaml -o out --allow-dir "$source_dir/specs"
    expect_no_output out
    ;;
  non_utf8_key_overlong)
    { base_spec; printf 'x\xc0\xafy: 1\n'; } > spec.yaml
    expect 1 "spec.yaml:8:1: error: string is not valid UTF-8 (byte 0xc0 at offset 1); expected UTF-8 text" \
      "$metergen" validate spec.yaml --allow-dir "$source_dir/specs"
    ;;
  import_symlink_loop)
    ln -s loop.yaml loop.yaml
    importing loop.yaml > spec.yaml
    expect 1 "spec.yaml:2:11: error: imports: catalog 'loop.yaml' cannot be resolved: a symbolic link loop; expected a path to a readable file" \
      "$metergen" validate spec.yaml
    ;;
  spec_symlink_loop)
    ln -s loop.yaml loop.yaml
    expect 1 "loop.yaml:1:1: error: file cannot be read: a symbolic link loop; expected a readable regular file" \
      "$metergen" validate loop.yaml
    ;;
  spec_is_directory)
    mkdir folder.yaml
    expect 1 "folder.yaml:1:1: error: file is a directory; expected a regular file" "$metergen" validate folder.yaml
    ;;
  spec_missing)
    expect 1 "absent.yaml:1:1: error: file cannot be read: not found; expected a readable regular file" \
      "$metergen" generate absent.yaml -o out
    expect_no_output out
    ;;
  spec_unreadable)
    base_spec > spec.yaml
    chmod 000 spec.yaml
    reader=()
    if [ "$(id -u)" = 0 ]; then
      # Root reads every file: the case runs as the unprivileged user nobody.
      chmod 755 "$work"
      reader=(setpriv --reuid=65534 --regid=65534 --clear-groups)
      if ! "${reader[@]}" test -x "$metergen"; then echo "user nobody cannot run $metergen: skipped"; exit 77; fi
    fi
    expect 1 "spec.yaml:1:1: error: file cannot be read: permission denied; expected a readable regular file" \
      "${reader[@]}" "$metergen" validate spec.yaml
    ;;
  spec_is_dev_zero)
    expect 1 "/dev/zero:1:1: error: file is a character device; expected a regular file" "$metergen" validate /dev/zero
    ;;
  import_dev_zero)
    importing /dev/zero > spec.yaml
    expect 1 "spec.yaml:2:11: error: imports: catalog '/dev/zero' is outside the spec's folder and the --allow-dir folders; expected a file under the spec's folder or under a folder given with --allow-dir" \
      "$metergen" validate spec.yaml
    # Even from an allowed folder a device is not read.
    expect 1 "spec.yaml:2:11: error: imports: catalog '/dev/zero' is a character device; expected a regular file" \
      "$metergen" validate spec.yaml --allow-dir /dev
    ;;
  import_fifo)
    mkfifo pipe.yaml
    importing pipe.yaml > spec.yaml
    expect 1 "spec.yaml:2:11: error: imports: catalog 'pipe.yaml' is a FIFO; expected a regular file" \
      "$metergen" validate spec.yaml
    ;;
  import_directory)
    mkdir sub
    importing sub > spec.yaml
    expect 1 "spec.yaml:2:11: error: imports: catalog 'sub' is a directory; expected a regular file" \
      "$metergen" validate spec.yaml
    ;;
  extends_etc_shadow)
    printf 'format: 1\nextends: ../../../../etc/shadow\n' > spec.yaml
    expect 1 "spec.yaml:2:10: error: extends: base spec '../../../../etc/shadow' is outside the spec's folder and the --allow-dir folders; expected a file under the spec's folder or under a folder given with --allow-dir" \
      "$metergen" validate spec.yaml
    ;;
  extends_secret_never_shown)
    mkdir spec secret
    printf 'root:TOP-SECRET-LINE\n' > secret/shadow
    printf 'format: 1\nextends: ../secret/shadow\n' > spec/spec.yaml
    expect 1 "spec/spec.yaml:2:10: error: extends: base spec '../secret/shadow' is outside the spec's folder and the --allow-dir folders; expected a file under the spec's folder or under a folder given with --allow-dir" \
      "$metergen" validate spec/spec.yaml
    ;;
  import_absolute_outside)
    importing /etc/passwd > spec.yaml
    expect 1 "spec.yaml:2:11: error: imports: catalog '/etc/passwd' is outside the spec's folder and the --allow-dir folders; expected a file under the spec's folder or under a folder given with --allow-dir" \
      "$metergen" validate spec.yaml
    ;;
  import_symlink_to_outside)
    ln -s /etc/passwd catalog.yaml
    importing catalog.yaml > spec.yaml
    expect 1 "spec.yaml:2:11: error: imports: catalog 'catalog.yaml' is outside the spec's folder and the --allow-dir folders; expected a file under the spec's folder or under a folder given with --allow-dir" \
      "$metergen" validate spec.yaml
    ;;
  extends_cycle_through_symlink)
    printf 'format: 1\nextends: b.yaml\n' > a.yaml
    ln -s a.yaml b.yaml
    expect 1 "a.yaml:2:10: error: extends: spec extends itself through 'b.yaml'; expected an acyclic chain of extends" \
      "$metergen" validate a.yaml
    ;;
  allow_dir_missing_is_usage)
    base_spec > spec.yaml
    expect 2 "--allow-dir: Directory does not exist: nowhere
Run with --help for more information." "$metergen" validate spec.yaml --allow-dir nowhere
    ;;
  alias_bomb)
    # Nine levels of ten aliases each: 10^9 nodes if expanded.
    {
      echo 'a: &a [x, x, x, x, x, x, x, x, x, x]'
      prev=a
      for l in b c d e f g h i; do
        echo "$l: &$l [*$prev, *$prev, *$prev, *$prev, *$prev, *$prev, *$prev, *$prev, *$prev, *$prev]"
        prev=$l
      done
    } > bomb.yaml
    # Copies: b 110, c 1110, d 11110 nodes; e's aliases copy 11111 each, and its
    # 8th (line 5, column 8 + 7 * 4) passes 100000.
    expect 1 "bomb.yaml:5:36: error: aliases expand to more than 100000 nodes; expected at most 100000 nodes copied by aliases per file" \
      "$metergen" validate bomb.yaml
    ;;
  alias_of_itself)
    echo 'a: &a [1, *a]' > self.yaml
    expect 1 "self.yaml:1:11: error: alias refers to a node that contains it; expected an alias to a complete node" \
      "$metergen" validate self.yaml
    ;;
  deep_nesting_100k)
    { printf 'a: '; head -c 100000 /dev/zero | tr '\0' '['; head -c 100000 /dev/zero | tr '\0' ']'; echo; } > deep.yaml
    # The map is level 0, its value's list level 1 at column 4: level 65 at column 68.
    expect 1 "deep.yaml:1:68: error: nesting too deep; expected at most 64 levels" "$metergen" validate deep.yaml
    ;;
  name_50mb)
    { base_spec | sed 3d; printf 'model:\n  id: hostile\n  vendor: Test\n  name: '; head -c 52428800 /dev/zero | tr '\0' 'x'; echo; } > spec.yaml
    expect 1 "spec.yaml:10:9: error: string of 52428800 bytes; expected at most 65536 bytes" \
      "$metergen" generate spec.yaml -o out --allow-dir "$source_dir/specs"
    expect_no_output out
    ;;
  file_over_64mib)
    truncate -s 65M big.yaml
    expect 1 "big.yaml:1:1: error: file is 68157440 bytes; expected at most 67108864 bytes" "$metergen" validate big.yaml
    ;;
  too_many_nodes)
    # 4,000,001 one-character items in a flow list (8 MB). The map, its key and the
    # list are nodes 1 to 3, so item 3,999,998 (column 5 + 2 * 3,999,997) is one too many.
    awk 'BEGIN { printf "a: [0"; for (i = 0; i < 4000000; i++) printf ",0"; print "]" }' > many.yaml
    expect 1 "many.yaml:1:7999999: error: more than 4000000 nodes; expected at most 4000000 nodes per file" \
      "$metergen" validate many.yaml
    ;;
  synthetic_100k_objects_load)
    # The benchmarks' largest spec stays well inside every limit.
    mkdir bench
    ln -s "$source_dir/specs" specs
    bash "$source_dir/bench/synthetic_spec.sh" 100000 > bench/synthetic.yaml
    expect 0 "" "$metergen" validate bench/synthetic.yaml --allow-dir "$source_dir/specs"
    ;;
  load_profile_capture_period_0)
    { base_spec; cat <<'SPEC'
profiles:
  - name: lp
    obis: 1.0.99.1.0.255
    purpose: load
    capture_period_s: 0
    entries: 10
    capture: [clock]
SPEC
    } > spec.yaml
    expect 1 "spec.yaml:12:23: error: profiles[lp].capture_period_s: a load profile with capture period 0 never captures; expected a period of at least 1 s" \
      "$metergen" validate spec.yaml --allow-dir "$source_dir/specs"
    ;;
  *)
    echo "unknown case $case_name" >&2
    exit 2
    ;;
esac
