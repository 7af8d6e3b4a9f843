"""The framework's own limit: a bare Flask "hello" app, served the same way as the platform."""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return "Hello, World!"
