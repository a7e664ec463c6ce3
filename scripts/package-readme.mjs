// The README inside the .vsix: the repository's README without what only
// works next to the sources (screenshots and links to files of the repo),
// since an extension package has no repository URL to resolve them against.
const isRelative = (url) => !/^[a-z][a-z0-9+.-]*:|^#/i.test(url);

export function packageReadme(markdown) {
  return (
    markdown
      // sections marked for the repository only (the screenshots)
      .replace(/<!-- repo-only:start -->[\s\S]*?<!-- repo-only:end -->\n?/g, '')
      // images of the repository go; links to its files keep their text
      .replace(/(!?)\[([^\]]*)\]\(([^)]+)\)/g, (all, bang, text, url) => {
        if (!isRelative(url)) return all;
        return bang ? '' : `${text} (in the source repository)`;
      })
  );
}
