#!/usr/bin/env python3
"""Checks that every relative link and image in README.md and docs/*.md points at a file that exists, and that
every #anchor (in the same file or another markdown file) names a heading there (GitHub's slug rules)."""
import os, re, sys, glob

root = sys.argv[1] if len(sys.argv) > 1 else '.'
files = [os.path.join(root, 'README.md')] + sorted(glob.glob(os.path.join(root, 'docs', '*.md')))
link = re.compile(r'!?\[(?:[^\]\[]|\[[^\]]*\])*\]\(([^)\s]+)(?:\s+"[^"]*")?\)')

def slugs(path):
    out, fence = set(), False
    counts = {}
    for line in open(path, encoding='utf-8'):
        if line.startswith('```'):
            fence = not fence
            continue
        m = None if fence else re.match(r'^(#{1,6})\s+(.*?)\s*#*\s*$', line)
        if m:
            text = re.sub(r'[`*_]|<[^>]+>', '', m.group(2)).strip().lower()
            text = re.sub(r'\[([^\]]*)\]\([^)]*\)', r'\1', text)
            slug = re.sub(r'[^\w\- ]', '', text).replace(' ', '-')
            n = counts.get(slug, 0)
            counts[slug] = n + 1
            out.add(slug if n == 0 else f'{slug}-{n}')
    return out

bad = 0
for f in files:
    fence = False
    for no, line in enumerate(open(f, encoding='utf-8'), 1):
        if line.startswith('```'):
            fence = not fence
            continue
        if fence:
            continue
        for target in link.findall(line):
            if re.match(r'^[a-z]+:', target):
                continue  # http:, https:, mailto:
            path, _, anchor = target.partition('#')
            dest = os.path.normpath(os.path.join(os.path.dirname(f), path)) if path else f
            if not os.path.exists(dest):
                print(f'{os.path.relpath(f, root)}:{no}: missing {target}')
                bad += 1
            elif anchor and dest.endswith('.md') and anchor not in slugs(dest):
                print(f'{os.path.relpath(f, root)}:{no}: no heading for #{anchor} in {os.path.relpath(dest, root)}')
                bad += 1
print(f'{len(files)} files checked, {bad} broken links')
sys.exit(1 if bad else 0)
