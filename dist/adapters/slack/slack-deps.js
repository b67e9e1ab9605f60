export {};
//# sourceMappingURL=slack-deps.js.map