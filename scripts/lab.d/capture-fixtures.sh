#!/usr/bin/env bash
# Runs INSIDE the lab VM (scripts/lab ssh -- bash -s < this): produces the real zfs outputs
# and error messages the fast specs parse, as a tar stream on stdout.
# Usage from the host: scripts/lab.d/capture-fixtures   (see that wrapper)
set -u
P=${1:-jeff}
R=$P/fx
out=$(mktemp -d)
zfs destroy -r "$R" >/dev/null 2>&1
zfs create -o compression=lz4 -o com.zed:version=1.4.2 -o atime=off "$R"
zfs create -o quota=1073741824 -o recordsize=16K "$R/app"
zfs create -V 16M "$R/vol" 2>/dev/null
zfs set com.zed:deployed-by=ops "$R/app"
zfs version > "$out/version.txt"
zfs get -H -p -o name,property,value,source -t filesystem,volume -r all "$R" > "$out/get-r-all.txt"
mnt=$(zfs get -H -o value mountpoint "$R/app")
echo one > "$mnt/keep.txt"; echo two > "$mnt/changed.txt"; echo gone > "$mnt/gone.txt"; echo old > "$mnt/old-name.txt"
zfs snapshot -o com.zed:purpose=before-deploy -o com.zed:deploy=trading "$R@s1" "$R/app@s1"
zfs snapshot -r "$R@s2"
zfs set com.zed:note=hello "$R/app@s2"
zfs hold zed-keep "$R/app@s1"
zfs bookmark "$R/app@s1" "$R/app#b1"
zfs get -H -p -o name,property,value,source -t snapshot -r all "$R" > "$out/get-snapshots.txt"
zfs holds -H "$R/app@s1" > "$out/holds.txt"
zfs list -H -o name -t bookmark -d 1 "$R/app" > "$out/bookmarks.txt"
# zfs diff: modified, added, removed, renamed, and names that need escaping
echo more >> "$mnt/changed.txt"; rm "$mnt/gone.txt"; mv "$mnt/old-name.txt" "$mnt/new name.txt"
mkdir "$mnt/dir"; ln -s keep.txt "$mnt/link"; mkfifo "$mnt/fifo"
touch "$mnt/tab	in name" "$mnt/ünïcödé.txt" "$mnt/back\\slash"
zfs diff -F -H -t "$R/app@s2" "$R/app" > "$out/diff.txt"
# errors, stderr verbatim
err() { local f=$1; shift; "$@" > /dev/null 2> "$out/err-$f.txt"; echo "exit=$?" >> "$out/err-$f.txt"; }
err not-found zfs get -H all "$R/nope"
err exists zfs create "$R/app"
err held zfs destroy "$R/app@s1"
err newer-snapshots zfs rollback "$R/app@s1"
zfs clone "$R/app@s2" "$R/clone"
err dependent-clones zfs destroy "$R/app@s2"
err has-children zfs destroy "$R"
err no-such-tag zfs release nope "$R/app@s1"
err hold-exists zfs hold zed-keep "$R/app@s1"
err bad-property zfs set nosuchprop=1 "$R/app"
err snap-not-found zfs destroy "$R/app@nope"
err bookmark-not-found zfs list -H -o name -t all "$R/app#nope"
err bad-value zfs set compression=bogus "$R/app"
(cd "$mnt" && exec sleep 600) </dev/null >/dev/null 2>&1 & busy=$!; sleep 0.2
err busy-unmount zfs unmount "$R/app"
kill $busy 2>/dev/null
zfs release zed-keep "$R/app@s1"
zfs destroy -R "$R" >/dev/null 2>&1
# reading what others made: names with spaces, values with tabs, newlines, non-ASCII, and a value
# that imitates a record line (docs/zfs.md, "Reading")
D=$P/rd
zfs destroy -r "$D" >/dev/null 2>&1
zfs create -o com.zed:version=1.0.0 "$D"
zfs create "$D/my data"
zfs create "$D/app"
zfs set "com.x:note=a	tab
and a newline" "$D/my data"
zfs set "com.x:uni=café ☕" "$D/app"
zfs set "com.x:trap=x
$D/app	compression	local	gzip" "$D/app"
zfs snapshot -o "com.x:why=before
the deploy" "$D/my data@my snap"
zfs snapshot "$D/app@s1"
props=com.zed:version,com.x:note,com.x:uni,com.x:trap,compression
zfs get -H -p -o name,property,source,value $props "$D/app" "$D/my data" "$D/nope" "$D" > "$out/read-get.txt" 2> "$out/read-get.err"
echo "exit=$?" >> "$out/read-get.err"
for c in com.x:trap compression com.x:uni; do
  zfs get -H -p -o source,value $c "$D/app" > "$out/read-cell-app-${c/:/_}.txt"
done
zfs get -H -o name,property -t snapshot -d 1 all "$D/app" "$D/my data" "$D" > "$out/read-snapshot-keys.txt"
zfs get -H -p -o name,property,source,value -t snapshot -d 1 all "$D/app" "$D/my data" "$D" > "$out/read-snapshots.txt"
zfs get -j -p $props "$D/app" "$D/my data" "$D" > "$out/read-get-j.txt" 2> "$out/read-get-j.err"
echo "exit=$?" >> "$out/read-get-j.err"
zfs get -j -p $props "$D/app" "$D/my data" "$D/nope" "$D" > "$out/read-get-j-missing.txt" 2> "$out/read-get-j-missing.err"
echo "exit=$?" >> "$out/read-get-j-missing.err"
zfs get -j -p -t snapshot -d 1 all "$D/app" "$D/my data" "$D" > "$out/read-snapshots-j.txt" 2>/dev/null
LC_ALL=C zfs get -j -p com.x:uni "$D/app" > "$out/read-get-j-c-locale.txt" 2>/dev/null
zfs destroy -r "$D" >/dev/null 2>&1
tar -C "$out" -cf - .
rm -rf "$out"
