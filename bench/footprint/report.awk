# Formats the records of footprint.sh (one block per image, then the synthetic
# models) as the footprint report and, when budgets names a file, checks them:
# every image within its flash and RAM budget, every image's DLMS stack within
# dlms_flash / dlms_ram, the generated tables' growth per object within
# object_flash / object_ram (RAM beyond value storage). Exits 1 on any excess.

function bytes(text,    n) {  # "256K" -> 262144
  n = text + 0
  if (text ~ /K$/) n *= 1024
  else if (text ~ /M$/) n *= 1048576
  return n
}

function group(n,    s, neg) {  # 12345 -> "12,345"
  s = sprintf("%d", n)
  neg = s ~ /^-/
  if (neg) s = substr(s, 2)
  while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s)
  return (neg ? "-" : "") s
}

function row(label, f, r, note) {
  printf "  %-34s %9s %9s  %s\n", label, group(f), group(r), note
}

function over(what, used, limit) {
  if (!checking || used <= limit) return
  printf "footprint: %s: %s bytes exceed the budget of %s by %s\n", what, group(used), group(limit), group(used - limit)
  failed = 1
}

BEGIN {
  checking = budgets != ""
  if (checking)
    while ((getline line < budgets) > 0) {
      if (line ~ /^[ \t]*(#|$)/) continue
      split(line, f, " ")
      budget[f[1]] = bytes(f[2])
    }
  name["dlms"] = "DLMS stack (tables excluded)"
  name["metrology"] = "metrology"
  name["tables"] = "generated tables"
  name["rest"] = "rest (board, C library, stack)"
  split("dlms metrology tables rest", order, " ")
  print "Firmware footprint in bytes. Flash: code, constants, .data initialisers;"
  print "RAM: .data, .bss and the stack."
}

function flush_image(    i, c, k, m, note, tf, tr) {
  if (id == "") return
  printf "\n%s: %s COSEM objects %31s %9s\n", id, group(objects), "flash", "RAM"
  tf = tr = 0
  for (i = 1; i <= 4; ++i) {
    c = order[i]
    note = ""
    if (c == "dlms") note = "goal " group(budget_or("dlms_flash", 40960)) " / " group(budget_or("dlms_ram", 2560))
    if (c == "tables") note = "of which values " group(mod_r[c, "values"]) " RAM"
    row(name[c], cat_f[c], cat_r[c], note)
    for (k in mod_f) {
      split(k, m, SUBSEP)
      if (m[1] == c) line_of[m[2]] = m[2]
    }
    n = asort_keys(line_of, sorted)
    for (j = 1; j <= n; ++j) row("  " sorted[j], mod_f[c, sorted[j]], mod_r[c, sorted[j]], "")
    delete line_of
    tf += cat_f[c]; tr += cat_r[c]
  }
  row("image", tf, tr, "budget " group(flash_budget) " / " group(ram_budget))
  printf "  per object: tables %.1f B flash, %.1f B RAM beyond value storage (averages, fixed parts included)\n",
         cat_f["tables"] / objects, (cat_r["tables"] - mod_r["tables", "values"]) / objects
  if (tf != size_flash || tr != size_ram) {
    printf "footprint: %s: the map's parts add up to %s / %s, the image has %s / %s\n", id, tf, tr, size_flash, size_ram
    failed = 1
  }
  over(id " flash", tf, flash_budget)
  over(id " RAM", tr, ram_budget)
  over(id " DLMS stack flash", cat_f["dlms"], budget_or("dlms_flash", 1e18))
  over(id " DLMS stack RAM", cat_r["dlms"], budget_or("dlms_ram", 1e18))
  delete cat_f; delete cat_r; delete mod_f; delete mod_r
  id = ""
}

function budget_or(key, otherwise) { return key in budget ? budget[key] : otherwise }

# Insertion sort of an array's values (portable: no gawk asort).
function asort_keys(a, out,    n, k, i, j, t) {
  n = 0
  for (k in a) out[++n] = a[k]
  for (i = 2; i <= n; ++i) {
    t = out[i]
    for (j = i - 1; j >= 1 && out[j] > t; --j) out[j + 1] = out[j]
    out[j + 1] = t
  }
  return n
}

$1 == "image" {
  flush_image()
  id = $2; objects = $3; flash_budget = bytes($4); ram_budget = bytes($5); size_flash = $6; size_ram = $7
  next
}
$1 == "synthetic" {
  flush_image()
  syn_n[++syn] = $2; syn_f[syn] = $3; syn_r[syn] = $4; syn_v[syn] = $5
  next
}
NF == 4 {
  cat_f[$1] += $3; cat_r[$1] += $4
  mod_f[$1, $2] += $3; mod_r[$1, $2] += $4
}

END {
  flush_image()
  if (syn > 0) {
    printf "\nGenerated tables compiled for the target (synthetic specs, bench/synthetic_spec.sh)\n"
    printf "  %8s %9s %9s %9s %12s %12s\n", "objects", "flash", "RAM", "values", "flash/obj", "RAM-values/obj"
    for (i = 1; i <= syn; ++i)
      printf "  %8s %9s %9s %9s %12.1f %12.1f\n", group(syn_n[i]), group(syn_f[i]), group(syn_r[i]), group(syn_v[i]),
             syn_f[i] / syn_n[i], (syn_r[i] - syn_v[i]) / syn_n[i]
    for (i = 2; i <= syn; ++i) {
      dn = syn_n[i] - syn_n[i - 1]
      gf = (syn_f[i] - syn_f[i - 1]) / dn
      gr = ((syn_r[i] - syn_v[i]) - (syn_r[i - 1] - syn_v[i - 1])) / dn
      printf "  growth %s -> %s objects: %.2f B flash, %.2f B RAM beyond value storage per object (goal %s / %s)\n",
             group(syn_n[i - 1]), group(syn_n[i]), gf, gr, group(budget_or("object_flash", 64)), group(budget_or("object_ram", 8))
      over("tables flash per object (x1000)", int(gf * 1000 + 0.5), budget_or("object_flash", 1e18) * 1000)
      over("tables RAM per object beyond values (x1000)", int(gr * 1000 + 0.5), budget_or("object_ram", 1e18) * 1000)
    }
  }
  if (checking) print failed ? "\nfootprint: over budget" : "\nfootprint: every budget met"
  exit failed
}
