/**
 * The fixed POSIX sh scripts every file operation runs, as `sh -c SCRIPT sh ARG…`. Paths only ever
 * arrive as positional arguments (and only absolute ones, so none starts with a dash); no script is
 * ever built from a path. Exit codes are the ones in EXIT (errors.ts).
 *
 * Listing and stat pick a strategy once per container and report it as the first NUL-terminated
 * token, so later calls pass it back and skip the probe:
 *   F  GNU findutils `find -printf` (GNU images, and old gVisor where GNU ls/stat fail on statx)
 *   S  `stat -c` (busybox-only images; GNU stat where statx works)
 *   P  POSIX sh tests only (types from `test`, sizes from `wc -c`, mtime from `date -r`)
 */

const PICK = `pick() {
  case $1 in
  F|S|P) s=$1 ;;
  *) if find / -maxdepth 0 -printf '' >/dev/null 2>&1; then s=F
     elif stat -c %f / >/dev/null 2>&1; then s=S
     else s=P; fi ;;
  esac
}`;

// The type of what a path points to (following links), as find's %Y letters; N = nothing there.
const TYPE_OF = `ty() {
  if [ -d "$1" ]; then Y=d; elif [ -f "$1" ]; then Y=f; elif [ -p "$1" ]; then Y=p
  elif [ -S "$1" ]; then Y=s; elif [ -b "$1" ]; then Y=b; elif [ -c "$1" ]; then Y=c
  elif [ -e "$1" ]; then Y=u; else Y=N; fi
}`;

// A symlink $t becomes the file it finally points to; rl=0 when that cannot be worked out (then
// the caller writes in place, through the link). Without 'readlink -f' (busybox built without
// FEATURE_READLINK_FOLLOW) links are followed hop by hop. Each readlink output gets a "." appended
// so a name ending in a newline survives $().
const RESOLVE = `resolve() {
  rl=1
  [ -L "$t" ] || return 0
  r=$(readlink -f -- "$t" 2>/dev/null && echo .) && r=\${r%.} && r=\${r%?} && [ -n "$r" ] && { t=$r; return 0; }
  r=$t; i=0
  while [ -L "$r" ]; do
    i=$((i+1))
    [ $i -le 40 ] || { rl=0; return 0; }
    l=$(readlink -- "$r" 2>/dev/null && echo .) && l=\${l%.} && l=\${l%?} && [ -n "$l" ] || { rl=0; return 0; }
    case $l in /*) r=$l ;; *) r=\${r%/*}/$l ;; esac
  done
  t=$r
}`;

/** $1 strategy hint, $2 directory. Output: strategy \0, then strategy-specific records (listing.ts). */
export const LIST_SCRIPT = `${PICK}
${TYPE_OF}
pick "$1"; d=$2
[ -e "$d" ] || exit 2
[ -d "$d" ] || exit 20
cd -- "$d" 2>/dev/null || exit 13
[ -r . ] || exit 13
printf '%s\\0' "$s"
if [ "$s" = F ]; then exec find . -mindepth 1 -maxdepth 1 -printf '%y%Y\\t%m\\t%U\\t%G\\t%s\\t%T@\\t%f\\0'; fi
for g in './*' './.[!.]*' './..?*'; do
  set -- $g
  if [ $# -eq 1 ] && [ ! -e "$1" ] && [ ! -L "$1" ]; then continue; fi
  printf 'N\\0'; printf '%s\\0' "$@"
  printf 'T\\0'
  for f; do ty "$f"; if [ -L "$f" ]; then printf 'l%s' "$Y"; else printf '%s%s' "$Y" "$Y"; fi; done
  printf '\\0'
  if [ "$s" = S ]; then printf 'M\\0'; stat -c '%a %s %Y %u %g' -- "$@" 2>/dev/null; printf '\\0'; fi
done`;

/** $1 strategy hint, $2 path. Output: strategy \0 type-pair \0 metadata (listing.ts parseStat). */
export const STAT_SCRIPT = `${PICK}
${TYPE_OF}
pick "$1"; p=$2
if [ ! -e "$p" ] && [ ! -L "$p" ]; then exit 2; fi
ty "$p"
if [ -L "$p" ]; then t=l$Y; else t=$Y$Y; fi
printf '%s\\0%s\\0' "$s" "$t"
case $s in
F) exec find -H "$p" -maxdepth 0 -printf '%m\\t%U\\t%G\\t%s\\t%T@\\0' ;;
S) if [ "$Y" = N ]; then exec stat -c '%a %s %Y %u %g' -- "$p"; fi
   exec stat -L -c '%a %s %Y %u %g' -- "$p" ;;
*) n=0
   if [ "$Y" = f ]; then n=$(wc -c < "$p" 2>/dev/null) || n=0; fi
   m=$(date -r "$p" +%s 2>/dev/null) || m=0
   printf '%s %s\\0' $n $m ;;
esac`;

/** $1 path, $2 size limit in bytes (-1: none). Output: the bytes; on exit 27 the size, on 70 what it is. */
export const READ_SCRIPT = `p=$1; max=$2
[ -e "$p" ] || exit 2
[ -d "$p" ] && exit 21
if [ ! -f "$p" ]; then
  if [ -p "$p" ]; then printf 'a named pipe'; elif [ -S "$p" ]; then printf 'a socket'
  elif [ -b "$p" ]; then printf 'a block device'; elif [ -c "$p" ]; then printf 'a character device'; fi
  exit 70
fi
[ -r "$p" ] || exit 13
if [ "$max" -ge 0 ]; then
  n=$(wc -c < "$p") || exit 13
  set -- $n
  if [ "$1" -gt "$max" ]; then printf '%s' "$1"; exit 27; fi
fi
exec cat -- "$p"`;

/**
 * $1 strategy hint, $2 target, $3 random token, $4 byte count, $5 flags (c: may create, o: may
 * overwrite), $6 the content the target must still have ('size:md5', versions.ts) or "-". Reads
 * exactly $4 bytes from stdin into a temporary file next to the target (so a lost connection,
 * which ends stdin early, is detected by the size check and never touches the target),
 * gives it the target's mode and owner, then renames it over the target. A symlink is written
 * through (kept as a link). Where the directory is not writable, the owner cannot be given back, or
 * a link cannot be resolved, the complete data is staged first and then copied into the existing
 * file in place — only if it fits on that disk, and with a backup copy that is put back if the copy
 * fails (exit 28), so the file is never left partly written; if even that fails the backup's path
 * is printed (exit 74). A temporary file that cannot be written (full disk, quota) is exit 28 too,
 * not a lost connection. An existing target whose content is no longer $6 is left alone (exit 116):
 * checked just before it is replaced, in this same exec.
 */
export const WRITE_SCRIPT = `${PICK}
${RESOLVE}
pick "$1"; t=$2; tok=$3; n=$4; fl=$5; want=\${6:--}; cp=\${7:--}
resolve
d=\${t%/*}; b=\${t##*/}; pd=\${d:-/}
[ -d "$t" ] && exit 21
if [ -e "$t" ]; then
  case $fl in *o*) ;; *) exit 17 ;; esac
  ex=1
else
  case $fl in *c*) ;; *) exit 2 ;; esac
  ex=0
  [ -e "$pd" ] || exit 2
  [ -d "$pd" ] || exit 20
fi
if [ \${#b} -gt 200 ]; then tmp=$d/.agentsandbox.$tok; else tmp=$d/.$b.$tok; fi
stage=0
if [ ! -w "$pd" ] || [ "$rl" = 0 ]; then
  [ "$ex" = 1 ] && [ -w "$t" ] || exit 13
  stage=1; tmp=\${TMPDIR:-/tmp}/.agentsandbox.$tok
fi
# A new file is created with the normal mode; a replacement stays private until it gets the target's.
[ "$ex" = 1 ] && umask 077
if [ "$ex" = 1 ] && [ "$s" = P ] && [ "$stage" = 0 ]; then cp -p -- "$t" "$tmp" 2>/dev/null || :; fi
: >> "$tmp" || exit 13
printf '%s\\0%s\\0' "$s" "$ex"
# The copier stops after $n bytes by itself: some exec servers never end stdin. dd in 1 MiB blocks
# (d) when it can count bytes; head -c (h) otherwise, which reads 8 KiB at a time: under gVisor
# that makes a 10 MB upload twice as slow. Probed once per container, then passed back as $7.
case $cp in d|h) ;; *) if dd if=/dev/null of=/dev/null count=0 iflag=count_bytes,fullblock 2>/dev/null; then cp=d; else cp=h; fi ;; esac
# It runs in the background (stdin handed over as fd 3) so its pid can be reported: after a lost
# connection, where some exec servers never end stdin, CLEANUP_SCRIPT stops it.
exec 3<&0
if [ "$cp" = d ]; then dd bs=1048576 count="$n" iflag=count_bytes,fullblock <&3 > "$tmp" 2>/dev/null &
else head -c "$n" <&3 > "$tmp" & fi
hp=$!
exec 3<&-
printf '%s\\0%s\\0' "$hp" "$cp"
# While the bytes arrive: give the temporary file the target's mode and owner (one process reads
# both files' "mode uid gid"; under gVisor every process started costs).
if [ "$stage" = 0 ] && [ "$ex" = 1 ]; then
  case $s in
  F) a=$(find -H "$t" "$tmp" -maxdepth 0 -printf '%m %U %G ' 2>/dev/null) ;;
  S) a=$(stat -L -c '%a %u %g' -- "$t" "$tmp" 2>/dev/null) ;;
  *) a= ;;
  esac
  set -- $a
  if [ $# -ge 6 ]; then
    [ "$1" = "$4" ] || chmod "$1" "$tmp" 2>/dev/null
    [ "$2:$3" = "$5:$6" ] || chown "$2:$3" "$tmp" 2>/dev/null || stage=1
  fi
fi
# head failing is a write error (a short stdin only makes it stop early, with status 0).
if ! wait "$hp"; then
  rm -f -- "$tmp"
  exit 28
fi
case $s in
F) z=$(find "$tmp" -maxdepth 0 -printf '%s' 2>/dev/null) ;;
S) z=$(stat -c '%s' -- "$tmp" 2>/dev/null) ;;
*) z= ;;
esac
[ -n "$z" ] || z=$(wc -c < "$tmp")
set -- $z
if [ "$1" != "$n" ]; then rm -f -- "$tmp"; exit 75; fi
# Changed since it was read here (by content: mtimes may have whole seconds or none)? Without
# md5sum only the size is compared.
if [ "$want" != - ] && [ -e "$t" ] && [ -r "$t" ]; then
  set -- $(wc -c < "$t")
  got=$1
  if m=$(md5sum < "$t" 2>/dev/null) && [ -n "$m" ]; then set -- $m; got=$got:$1; else got=$got:\${want#*:}; fi
  [ "$got" = "$want" ] || { rm -f -- "$tmp"; exit 116; }
fi
if [ "$stage" = 1 ]; then
  [ -w "$t" ] || { rm -f -- "$tmp"; exit 13; }
  # In place truncates first: make sure the new bytes fit where the file lives (df -P: 4th field KB free).
  case $s in
  F) o=$(find "$t" -maxdepth 0 -printf '%s' 2>/dev/null) ;;
  S) o=$(stat -c '%s' -- "$t" 2>/dev/null) ;;
  *) o= ;;
  esac
  [ -n "$o" ] || o=$(wc -c < "$t")
  set -- $(df -Pk -- "$t" 2>/dev/null | sed -n 2p)
  if [ -n "$4" ] && [ "$4" -eq "$4" ] 2>/dev/null && [ $(($4 * 1024 + o)) -lt "$n" ]; then rm -f -- "$tmp"; exit 28; fi
  bk=\${TMPDIR:-/tmp}/.agentsandbox.$tok.bak
  cp -- "$t" "$bk" 2>/dev/null || { rm -f -- "$tmp" "$bk"; exit 28; }
  if cat -- "$tmp" > "$t" 2>/dev/null; then rm -f -- "$tmp" "$bk"; exit 0; fi
  rm -f -- "$tmp"
  if cat -- "$bk" > "$t" 2>/dev/null; then rm -f -- "$bk"; exit 28; fi
  printf '%s\\0' "$bk"
  exit 74
fi
mv -f -- "$tmp" "$t" || { rm -f -- "$tmp"; exit 13; }`;

/**
 * $1 target, $2 the write's token, $3 its copier's pid ("-" when unknown). Stops a write whose client
 * went away and removes its temporary file. A process is only stopped if it holds that file open
 * as its output, so a reused pid is never hit.
 */
export const CLEANUP_SCRIPT = `${RESOLVE}
t=$1; tok=$2; hp=$3
resolve
d=\${t%/*}; b=\${t##*/}
for tmp in "$d/.$b.$tok" "$d/.agentsandbox.$tok" "\${TMPDIR:-/tmp}/.agentsandbox.$tok"; do
  [ -e "$tmp" ] || continue
  if [ "$hp" != - ] && [ "$(readlink "/proc/$hp/fd/1" 2>/dev/null)" = "$tmp" ]; then kill "$hp" 2>/dev/null
  else
    for fd in /proc/[0-9]*/fd/1; do
      if [ "$(readlink "$fd" 2>/dev/null)" = "$tmp" ]; then p=\${fd#/proc/}; kill "\${p%%/*}" 2>/dev/null; fi
    done
  fi
  i=0
  while [ -e "$tmp" ] && [ $i -lt 20 ]; do sleep 0.1 2>/dev/null || sleep 1; i=$((i+1)); done
  rm -f -- "$tmp"
done`;

/** $1 path, $2 "p" to create missing parents (and accept an existing directory). */
export const MKDIR_SCRIPT = `p=$1
if [ "$2" = p ]; then
  [ -d "$p" ] && exit 0
  if [ -e "$p" ] || [ -L "$p" ]; then exit 17; fi
  mkdir -p -- "$p" || exit 13
  exit 0
fi
if [ -e "$p" ] || [ -L "$p" ]; then exit 17; fi
d=\${p%/*}; pd=\${d:-/}
[ -e "$pd" ] || exit 2
[ -d "$pd" ] || exit 20
mkdir -- "$p" || exit 13`;

/** $1 path, $2 "r" for recursive. A symlink is removed itself, never what it points to. */
export const DELETE_SCRIPT = `p=$1
if [ ! -e "$p" ] && [ ! -L "$p" ]; then exit 2; fi
if [ -d "$p" ] && [ ! -L "$p" ]; then
  if [ "$2" = r ]; then rm -rf -- "$p"
  elif ! rmdir -- "$p" 2>/dev/null; then
    set -- "$p"/* "$p"/.[!.]* "$p"/..?*
    for f; do if [ -e "$f" ] || [ -L "$f" ]; then exit 39; fi; done
    rmdir -- "$p" || exit 13
  fi
else
  rm -f -- "$p"
fi
if [ -e "$p" ] || [ -L "$p" ]; then exit 13; fi`;

// Shared by rename and copy: the source must exist, the target's parent must be a directory, and
// an existing target is refused unless $3 = o. Sets `keep` when the target may be replaced atomically.
const MOVE_CHECKS = `a=$1; b=$2
if [ ! -e "$a" ] && [ ! -L "$a" ]; then exit 2; fi
d=\${b%/*}; pd=\${d:-/}
[ -e "$pd" ] || exit 2
[ -d "$pd" ] || exit 20
keep=0
if [ -e "$b" ] || [ -L "$b" ]; then
  [ "$3" = o ] || exit 17
  if [ -f "$b" ] && [ ! -L "$b" ] && { [ ! -d "$a" ] || [ -L "$a" ]; }; then keep=1; fi
fi`;

/** $1 from, $2 to, $3 "o" to overwrite. A file replacing a file is one atomic rename. */
export const RENAME_SCRIPT = `${MOVE_CHECKS}
if [ -e "$b" ] || [ -L "$b" ]; then [ "$keep" = 1 ] || rm -rf -- "$b" || exit 13; fi
mv -f -- "$a" "$b" || exit 13`;

/** $1 from, $2 to, $3 "o". Copies recursively, links as links, keeping modes and times (exit 71: cp complained). */
export const COPY_SCRIPT = `${MOVE_CHECKS}
if [ -e "$b" ] || [ -L "$b" ]; then rm -rf -- "$b" || exit 13; fi
cp -PRp -- "$a" "$b" || exit 71`;

/** The shell's working directory: the image's WORKDIR or the pod spec's workingDir. */
export const PWD_SCRIPT = 'pwd';
