export {};
//# sourceMappingURL=chat-port.js.map