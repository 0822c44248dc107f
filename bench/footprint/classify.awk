# Classifies every input section of a GNU ld map file (-Wl,-Map) of a firmware
# image and prints one record per (category, module) with its flash and RAM bytes:
#   <category> <module> <flash> <ram>
# Categories: dlms (the DLMS/COSEM server, the push engine and the storage layer under its
# records), metrology (metrology and the engines that meter, bill, keep time, limit the load,
# detect events, watch registers, accept STS tokens and drive the display), tables (the generated model.cpp) and
# rest (board code, C library, libgcc, stack, alignment fill).
#
# Variables (awk -v):
#   modules  file of "<source basename> <runtime module>" lines (runtime/src/<module>/<basename>.cpp)
#   statics  file of "<static> <category> [<category>=<probe symbol> ...]" lines: board
#            statics that hold runtime objects, with the parts carved out of them
#   probe    file of "<probe symbol> <bytes>" lines (sizes of runtime classes)
#
# Flash: .vectors, .text (code and constants), .ARM.exidx, .init_array and the
# .data initialisers. RAM: .data, .bss and the stack. Debug sections and the
# retained NVM region count for neither.

function category_of_module(m) {
  if (m ~ /^(hdlc|wrapper|acse|xdlms|cosem|dlms|security|crypto|axdr|storage|push)$/) return "dlms"
  if (m ~ /^(metrology|energy|demand|metering|simulation|billing|timing|load_control|events|monitoring|display|sts|prepayment)$/) return "metrology"
  return ""
}

# The module (and through it the category) of an input file of the map.
function classify(file, section,    member, base, name, n, i, part) {
  if (match(file, /\([^()]*\)$/)) member = substr(file, RSTART + 1, RLENGTH - 2)
  else { n = split(file, part, "/"); member = part[n] }
  base = member
  sub(/\.(c|cpp)\.(o|obj)$/, "", base)
  if (file ~ /libmetergen_runtime\.a\(/) {
    if (!(base in module_of)) { print "classify.awk: no runtime source for " file > "/dev/stderr"; failed = 1; exit 1 }
    cat = category_of_module(module_of[base])
    if (cat == "") { print "classify.awk: runtime module " module_of[base] " has no category" > "/dev/stderr"; failed = 1; exit 1 }
    mod = module_of[base]
    return
  }
  if (base == "model" && file ~ /\.a\(model\.cpp\.(o|obj)\)$/) {
    cat = "tables"
    mod = section ~ /kState/ ? "values" : "tables"
    return
  }
  cat = "rest"
  if (file ~ /libc_nano|libg_nano|libc\.a|libg\.a/) { mod = "libc"; return }
  if (file ~ /libgcc/) { mod = "libgcc"; return }
  if (file ~ /libstdc\+\+|libsupc\+\+|libm\.a/) { mod = "libstdc++"; return }
  mod = "board"
  for (name in static_cat) {
    # Sections of data items are .bss.<mangled name>; a name in a namespace ends "<length><name>E".
    if (section ~ ("[0-9]" name "E$")) { cat = static_cat[name]; mod = "static:" name; static_hit = name; return }
  }
}

function add(c, m, flash, ram) {
  key = c SUBSEP m
  f_sum[key] += flash
  r_sum[key] += ram
  seen[key] = 1
}

# Adds one input section of `size` bytes in output section `out`.
function account(out, section, file, size,    flash, ram, i, n, part, kv, carved, label) {
  if (size == 0) return
  flash = (out == ".vectors" || out == ".text" || out == ".ARM.exidx" || out == ".init_array" || out == ".data") ? size : 0
  ram = (out == ".data" || out == ".bss") ? size : 0
  if (flash == 0 && ram == 0) return
  static_hit = ""
  if (file == "") { cat = "rest"; mod = "fill" }
  else classify(file, section)
  if (static_hit != "" && static_parts[static_hit] != "") {
    n = split(static_parts[static_hit], part, " ")
    carved = 0
    for (i = 1; i <= n; ++i) {
      split(part[i], kv, "=")
      if (!(kv[2] in probe_size)) { print "classify.awk: no probe size " kv[2] > "/dev/stderr"; failed = 1; exit 1 }
      label = kv[2]; sub(/^footprint_/, "", label)
      add(kv[1], "static:" static_hit "(" label ")", 0, probe_size[kv[2]])
      carved += probe_size[kv[2]]
    }
    ram -= carved
  }
  add(cat, mod, flash, ram)
}

BEGIN {
  while ((getline line < modules) > 0) { split(line, f, " "); module_of[f[1]] = f[2] }
  if (statics != "")
    while ((getline line < statics) > 0) {
      if (line ~ /^[ \t]*(#|$)/) continue
      n = split(line, f, " ")
      static_cat[f[1]] = f[2]
      parts = ""
      for (i = 3; i <= n; ++i) parts = parts (parts == "" ? "" : " ") f[i]
      static_parts[f[1]] = parts
    }
  if (probe != "")
    while ((getline line < probe) > 0) { split(line, f, " "); probe_size[f[1]] = f[2] }
}

/^Linker script and memory map/ { in_map = 1; next }
!in_map { next }
/^OUTPUT\(/ { in_map = 0; next }

# Output section: ".name [address size ...]" at column 0.
/^\.[A-Za-z_]/ {
  out = $1
  pending = ""
  # .stack is a gap the linker script reserves, with no input sections.
  if (out == ".stack" && NF >= 3) add("rest", "stack", 0, strtonum_hex($3))
  next
}

# Input section, whole: " .text.name 0xaddr 0xsize file" (or COMMON).
/^ [.A-Za-z_*]/ && NF >= 4 && $2 ~ /^0x/ && $3 ~ /^0x/ && $1 != "*fill*" {
  account(out, $1, $4, strtonum_hex($3)); pending = ""; next
}
/^ \*fill\*/ { account(out, "", "", strtonum_hex($3)); pending = ""; next }
# Input section name alone; its address, size and file follow on the next line.
/^ [.A-Za-z_]/ && NF == 1 { pending = $1; next }
pending != "" && /^ +0x/ && NF == 3 && $2 ~ /^0x/ {
  account(out, pending, $3, strtonum_hex($2)); pending = ""; next
}
{ pending = "" }

END {
  if (failed) exit 1
  for (key in seen) {
    split(key, k, SUBSEP)
    print k[1], k[2], f_sum[key], r_sum[key]
  }
}

function strtonum_hex(s,    v, i, c) {
  s = tolower(s); sub(/^0x/, "", s)
  v = 0
  for (i = 1; i <= length(s); ++i) { c = index("0123456789abcdef", substr(s, i, 1)) - 1; v = v * 16 + c }
  return v
}
