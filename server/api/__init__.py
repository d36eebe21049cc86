"""What the API says about itself: the response models (`schemas`), the status object built from
a generation (`views`), per-route documentation (`apidoc`) and the OpenAPI document derived from
the routes (`openapi`)."""
