// Two pages, nothing else: index.html imports 'iamport-billing', pure.html 'iamport-billing/pure'.
export default {
  build: { rolldownOptions: { input: { main: 'index.html', pure: 'pure.html' } } },
};
