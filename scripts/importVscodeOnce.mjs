// esbuild plugin for the extension bundle. Every `import * as vscode from 'vscode'` of an external CommonJS module
// makes esbuild copy the whole API object (~190 names) once per importing module at load time; routing the imports
// through one re-exporting module copies it once. Measured by `npm run bench:activate`: about a third less CPU.
export const importVscodeOnce = {
  name: 'import-vscode-once',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) =>
      args.namespace === 'vscode-once' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-once' });
    build.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({ contents: "export * from 'vscode';", loader: 'js' }));
  },
};
