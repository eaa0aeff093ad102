[inputs: ["{mix,.formatter}.exs", "{config,lib,rel}/**/*.{ex,exs}"]]
