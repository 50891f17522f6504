#!/bin/sh
# Publish the built site to the web server with rsync over SSH, switching in one step.
# Run by CI (.github/workflows/site.yml, .gitlab-ci.yml) after check, test and build have passed:
#
#   sh scripts/ci_publish.sh [site]
#
# On the server, KAOPING_DEPLOY_PATH is a symbolic link to KAOPING_DEPLOY_PATH.releases/<time>-<commit>/,
# the layout of `kaoping publish`. rsync copies the site into a hidden folder there (files unchanged since
# the current release are hard links to it, so only changes travel); the folder is renamed to its release
# name, then a new link is renamed over the old one (`mv -T`, one rename): the web server never serves a
# half-copied site. The current release and the two before it are kept; older ones are removed.
#
# An older pipeline never replaces a newer site: the site's build stamp (site/.kaoping-build.json, written
# by `kaoping build`) is compared with the current release's .kaoping-published by generator/site/stamp.py, the
# rule `kaoping publish` applies (git ancestry when this checkout knows both commits, else commit times,
# else build times). Each release gets its own .kaoping-published. The runner needs python3 and git.
#
# With KAOPING_GZIP_ONLY=是, what is sent is the copy `kaoping publish --gzip-only` makes: each text file once,
# compressed (generator/office/sitecopy.py, run with python3 alone), about a quarter of site/; nginx then needs
# `gzip_static always; gunzip on;`. A site built with accounts (--access, which CI does not do) is refused unless
# it was built for it (只发布压缩文件 = 是 in access/server.txt).
#
# Variables (the README's section “自动发布（CI）”): KAOPING_DEPLOY_HOST, KAOPING_DEPLOY_USER,
# KAOPING_DEPLOY_PATH, KAOPING_DEPLOY_SSH_KEY (the private key, or the path of a file holding it),
# KAOPING_DEPLOY_KNOWN_HOSTS (the server's lines from ssh-keyscan), KAOPING_DEPLOY_PORT (default 22),
# KAOPING_GZIP_ONLY (是 or 否, default 否). The server needs sh, GNU coreutils and rsync.
set -eu

site=${1:-site}

fail() {
    printf '发布失败：%s\n' "$1" >&2
    exit 1
}

missing=
for name in KAOPING_DEPLOY_HOST KAOPING_DEPLOY_USER KAOPING_DEPLOY_PATH KAOPING_DEPLOY_SSH_KEY KAOPING_DEPLOY_KNOWN_HOSTS; do
    eval "value=\${$name:-}"
    [ -n "$value" ] || missing="${missing:+$missing }$name"
done
[ -z "$missing" ] || fail "缺少 CI 变量：$missing。在仓库的 CI 设置中添加它们（见 README 的「自动发布（CI）」一节）"

host=$KAOPING_DEPLOY_HOST
user=$KAOPING_DEPLOY_USER
dest=$KAOPING_DEPLOY_PATH
port=${KAOPING_DEPLOY_PORT:-22}

# Everything below goes into a remote command line: only plain names, so that no quoting is needed.
case $dest in
    /*) ;;
    *) fail "KAOPING_DEPLOY_PATH 必须是绝对路径（如 /srv/kaoping/site），现在是：$dest" ;;
esac
case $dest in
    */ | */. | */.. | */./* | */../* | *[!A-Za-z0-9._/-]*)
        fail "KAOPING_DEPLOY_PATH 只能由字母、数字和 . _ - / 组成，不能以 / 结尾，不能含 . 或 .. 段：$dest" ;;
esac
case $host in
    '' | -* | *[!A-Za-z0-9._-]*) fail "KAOPING_DEPLOY_HOST 应是主机名或 IPv4 地址：$host" ;;
esac
case $user in
    '' | -* | *[!A-Za-z0-9._-]*) fail "KAOPING_DEPLOY_USER 应是服务器上的用户名：$user" ;;
esac
case $port in
    '' | *[!0-9]*) fail "KAOPING_DEPLOY_PORT 应是端口号：$port" ;;
esac
# (Spaces and a carriage return around the value are dropped, as kaoping build drops them from its settings.)
gzip_value=$(printf '%s' "${KAOPING_GZIP_ONLY:-}" | tr -d '\r' | sed 's/^[[:space:]]*//; s/[[:space:]]*$//')
case $gzip_value in
    是 | [Yy][Ee][Ss]) gzip_only=1 ;;
    否 | [Nn][Oo] | '') gzip_only= ;;
    *) fail "KAOPING_GZIP_ONLY 应是 是 或 否（只发布压缩文件），现在是「$KAOPING_GZIP_ONLY」" ;;
esac

if [ ! -f "$site/index.html" ] || [ ! -f "$site/search/search_index.json" ]; then
    fail "没有找到生成好的网站 $site/（缺少 index.html 或搜索索引）。先运行 make site"
fi
if [ ! -f "$site/.kaoping-build.json" ]; then
    fail "网站 $site/ 中没有生成记录 .kaoping-build.json，无法确认它不比服务器上的网站旧。先运行 make site（kaoping build）"
fi
# kaoping build never makes a link; rsync would copy one as a link, which the web server then follows.
link=$(find -H "$site" -type l -print | head -n 1)
[ -z "$link" ] || fail "网站中有符号链接 $link，不发布：网站应当只有普通文件。重新运行 make site（kaoping build）"
command -v python3 >/dev/null 2>&1 || fail "CI 的运行环境中没有 python3（比较网站新旧要用它）"
python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null ||
    fail "CI 的运行环境中的 python3 是 $(python3 -V 2>&1)，要 3.11 或更新的版本（比较网站新旧、做压缩副本要用它）"
repo=$(cd "$(dirname "$0")/.." && pwd)
stamp_py=$repo/generator/site/stamp.py

commit=${CI_COMMIT_SHA:-${GITHUB_SHA:-$(git rev-parse HEAD 2>/dev/null || echo local)}}
case $commit in *[!0-9a-zA-Z]*) commit=local ;; esac
release="$(date -u +%Y%m%dT%H%M%SZ)-$(printf '%.12s' "$commit")"

work=$(mktemp -d)
started=
switched=
cleanup() {
    if [ -n "$started" ] && [ -z "$switched" ]; then
        remote abort "$dest" "$release" >/dev/null 2>&1 || :
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
trap 'exit 141' PIPE

# A variable holds the text itself, or (GitLab's "File" variables) the path of a file holding it.
text_of() {
    if [ -f "$1" ]; then cat -- "$1"; else printf '%s\n' "$1"; fi | tr -d '\r'
}
umask 077
text_of "$KAOPING_DEPLOY_SSH_KEY" >"$work/key"
text_of "$KAOPING_DEPLOY_KNOWN_HOSTS" >"$work/known_hosts"
# The compressed copy, made before the server is asked anything: a refusal leaves it as it was.
if [ -n "$gzip_only" ]; then
    # (PYTHONSAFEPATH: the module is the checkout's, never one in the current folder.)
    PYTHONSAFEPATH=1 PYTHONPATH=$repo python3 -m generator.office.sitecopy --gzip-only "$site" "$work/copy" ||
        fail "没有做成只有压缩文件的副本（见上一行）；服务器上的网站没有改动。要照常发布 site/ 的全部文件，把变量 KAOPING_GZIP_ONLY 设为 否"
    site=$work/copy
fi
ssh_command="ssh -i $work/key -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=$work/known_hosts -p $port"

# The server's side, sent on standard input: `sh -s -- STEP DEST RELEASE [PREVIOUS]`.
cat >"$work/remote.sh" <<'REMOTE'
set -eu
step=$1 dest=$2 release=$3 previous=${4:-}
parent=${dest%/*}
name=${dest##*/}
releases=$dest.releases
keep=3
case $step in
prepare)
    [ -d "${parent:-/}" ] || { echo "发布失败：服务器上没有目录 ${parent:-/}。先建好它，并让部署用户可写" >&2; exit 1; }
    if [ -e "$dest" ] && [ ! -L "$dest" ]; then
        echo "发布失败：服务器上的 $dest 是普通目录，不能一次切换成版本链接。请先把它改名（如 mv $dest $dest.old），再重新运行发布" >&2
        exit 1
    fi
    current=
    if [ -L "$dest" ]; then
        target=$(readlink "$dest")
        case $target in
            "$name.releases/"* | "$releases/"*) current=${target##*/} ;;
            *) echo "发布失败：服务器上的 $dest 是指向 $target 的链接，不指向 $name.releases/ 中的版本" >&2; exit 1 ;;
        esac
    fi
    mkdir -p "$releases"
    # What an interrupted publish left behind (publishes to one server run one at a time).
    rm -rf "$releases"/.publishing-* "$parent/.$name.publishing-"*
    if [ -e "$releases/$release" ]; then
        echo "发布失败：服务器上已有版本 $release，稍后重新运行" >&2
        exit 1
    fi
    printf '%s\n' "$current"
    # The current release's marker, for the order check (a release published before markers has none).
    marker="$releases/$current/.kaoping-published"
    if [ -n "$current" ] && [ -f "$marker" ] && [ ! -L "$marker" ]; then
        head -c 65536 "$marker"
    fi
    ;;
switch)
    mv -T "$releases/.publishing-$release" "$releases/$release"
    sync
    link="$parent/.$name.publishing-link-$$"
    ln -sfn "$name.releases/$release" "$link"
    mv -T "$link" "$dest"
    echo "已发布：$dest → $name.releases/$release"
    if [ -n "$previous" ] && [ "$previous" != "$release" ] && [ -d "$releases/$previous" ]; then
        kept=2
        echo "回退到上一个版本：ln -sfn $name.releases/$previous $parent/.$name.rollback && mv -T $parent/.$name.rollback $dest"
        # What nginx needs for the previous release, when this one did not need it.
        if grep -q '"gzip_only": true' "$releases/$previous/.kaoping-published" 2>/dev/null &&
            ! grep -q '"gzip_only": true' "$releases/$release/.kaoping-published" 2>/dev/null; then
            echo "  （那个版本只发布了压缩文件：回退之前，nginx 要设 gzip_static always; 和 gunzip on;）"
        fi
    else
        kept=1
    fi
    # shellcheck disable=SC2012  # release names are plain: time and commit
    ls -1 "$releases" | LC_ALL=C sort -r | while IFS= read -r old; do
        case $old in "$release" | "$previous") continue ;; esac
        if [ "$kept" -lt "$keep" ]; then
            kept=$((kept + 1))
            continue
        fi
        if rm -rf "${releases:?}/$old"; then
            echo "删除了旧版本 $old"
        else
            echo "注意：旧版本 $releases/$old 没能删除，可以手工删除" >&2
        fi
    done || :
    ;;
abort)
    rm -rf "$releases/.publishing-$release"
    ;;
esac
REMOTE

remote() {
    $ssh_command "$user@$host" sh -s -- "$@" <"$work/remote.sh"
}

echo "发布到 $user@$host:$dest（版本 $release）"
answer=$(remote prepare "$dest" "$release") || fail "服务器上的准备步骤没有完成（见上面的消息）；网站没有改动"
previous=$(printf '%s\n' "$answer" | sed -n 1p)
printf '%s\n' "$answer" | sed 1d >"$work/published"
published=
[ ! -s "$work/published" ] || published="$work/published"
# shellcheck disable=SC2086  # $published is empty or one plain path
if python3 "$stamp_py" check "$site/.kaoping-build.json" $published; then
    :
else
    case $? in
        1) fail "服务器上的网站比这次的新（见上一行），没有替换它；网站没有改动。要回退到旧版本，在服务器上切换链接（见 README 的「发布目录的布局」）" ;;
        *) fail "无法比较这次的网站和服务器上的网站（见上一行）；网站没有改动" ;;
    esac
fi
mkdir "$work/marker"
python3 "$stamp_py" marker "$site/.kaoping-build.json" "$work/marker/.kaoping-published" ${gzip_only:+--gzip-only} ||
    fail "无法写发布记录"
started=1
link_dest=
[ -z "$previous" ] || link_dest="--link-dest=$dest.releases/$previous"
# -p with --chmod: pages readable by the web server whatever the umask on either side. Every build writes
# every file anew, so files are compared by content (--checksum), and times are not copied: a file whose
# content has not changed is a hard link to the current release's and keeps its time (good for caches).
# shellcheck disable=SC2086
rsync -rlp --checksum --delete --chmod=D755,F644 --exclude=/.kaoping-published $link_dest -e "$ssh_command" \
    "$site/" "$user@$host:$dest.releases/.publishing-$release/" ||
    fail "rsync 复制没有完成；服务器上的网站没有改动"
# The release's marker: what it was built from and when it was published.
rsync -rp --chmod=D755,F644 -e "$ssh_command" "$work/marker/" "$user@$host:$dest.releases/.publishing-$release/" ||
    fail "rsync 复制没有完成；服务器上的网站没有改动"
remote switch "$dest" "$release" "$previous" || fail "切换没有完成（见上面的消息）"
switched=1
if [ -n "$gzip_only" ]; then
    PYTHONSAFEPATH=1 PYTHONPATH=$repo python3 -c 'from generator.office.publishgzip import SERVER_WORDS; print(SERVER_WORDS)' || :
fi
