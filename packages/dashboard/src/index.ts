// The dashboard's public surface (the path of its built assets, for the server to serve) comes with it.
export {};
