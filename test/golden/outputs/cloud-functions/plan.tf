# serverless-lb: Terraform configuration for load balancer "fn-lb" in project "demo-project".
# Secrets are not in this file: set the sensitive variables below from their files or environment.

terraform {
  required_providers {
    google = {
      source = "hashicorp/google"
    }
  }
}

variable "project" {
  description = "Google Cloud project that holds the load balancer"
  type        = string
  default     = "demo-project"
}

provider "google" {
  project = var.project
}

# external IP address of the load balancer
resource "google_compute_global_address" "fn_lb_ip" {
  name         = "fn-lb-ip"
  description  = "[serverless-lb:fn-lb] external IP address of the load balancer"
  address_type = "EXTERNAL"
  ip_version   = "IPV4"
  labels       = {
    "serverless-lb" = "fn-lb"
  }
}

# Google-managed certificate for the HTTPS proxy
resource "google_compute_managed_ssl_certificate" "fn_lb_cert" {
  name        = "fn-lb-cert"
  description = "[serverless-lb:fn-lb] Google-managed certificate for the HTTPS proxy"

  managed {
    domains = ["fn.example.com"]
  }
}

# serverless NEG in us-central1 for backend legacy: Cloud Function legacy-fn
resource "google_compute_region_network_endpoint_group" "fn_lb_legacy_neg_us_central1" {
  name                  = "fn-lb-legacy-neg-us-central1"
  region                = "us-central1"
  description           = "[serverless-lb:fn-lb] serverless NEG in us-central1 for backend legacy: Cloud Function legacy-fn"
  network_endpoint_type = "SERVERLESS"

  cloud_function {
    function = "legacy-fn"
  }
}

# serverless NEG in europe-west1 for backend legacy: Cloud Function legacy-fn
resource "google_compute_region_network_endpoint_group" "fn_lb_legacy_neg_europe_west1" {
  name                  = "fn-lb-legacy-neg-europe-west1"
  region                = "europe-west1"
  description           = "[serverless-lb:fn-lb] serverless NEG in europe-west1 for backend legacy: Cloud Function legacy-fn"
  network_endpoint_type = "SERVERLESS"

  cloud_function {
    function = "legacy-fn"
  }
}

# serverless NEG in europe-west1 for backend hello: Cloud Run service hello-fn
resource "google_compute_region_network_endpoint_group" "fn_lb_hello_neg_europe_west1" {
  name                  = "fn-lb-hello-neg-europe-west1"
  region                = "europe-west1"
  description           = "[serverless-lb:fn-lb] serverless NEG in europe-west1 for backend hello: Cloud Run service hello-fn"
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = "hello-fn"
  }
}

# backend service for backend legacy
resource "google_compute_backend_service" "fn_lb_legacy_bs" {
  name                  = "fn-lb-legacy-bs"
  description           = "[serverless-lb:fn-lb] backend service for backend legacy"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  protocol              = "HTTP"
  enable_cdn            = false

  backend {
    group = google_compute_region_network_endpoint_group.fn_lb_legacy_neg_us_central1.id
  }

  backend {
    group = google_compute_region_network_endpoint_group.fn_lb_legacy_neg_europe_west1.id
  }

  log_config {
    enable      = true
    sample_rate = 1
  }
}

# backend service for backend hello
resource "google_compute_backend_service" "fn_lb_hello_bs" {
  name                  = "fn-lb-hello-bs"
  description           = "[serverless-lb:fn-lb] backend service for backend hello"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  protocol              = "HTTP"
  enable_cdn            = false

  backend {
    group = google_compute_region_network_endpoint_group.fn_lb_hello_neg_europe_west1.id
  }

  log_config {
    enable      = true
    sample_rate = 1
  }
}

# URL map: routes hosts and paths to the backend services
resource "google_compute_url_map" "fn_lb_urlmap" {
  name            = "fn-lb-urlmap"
  description     = "[serverless-lb:fn-lb] URL map: routes hosts and paths to the backend services"
  default_service = google_compute_backend_service.fn_lb_legacy_bs.id

  host_rule {
    hosts        = ["fn.example.com"]
    path_matcher = "hosts-1"
  }

  path_matcher {
    name            = "hosts-1"
    default_service = google_compute_backend_service.fn_lb_legacy_bs.id

    path_rule {
      paths   = ["/hello", "/hello/*"]
      service = google_compute_backend_service.fn_lb_hello_bs.id
    }
  }
}

# HTTPS proxy: terminates TLS
resource "google_compute_target_https_proxy" "fn_lb_https_proxy" {
  name             = "fn-lb-https-proxy"
  description      = "[serverless-lb:fn-lb] HTTPS proxy: terminates TLS"
  url_map          = google_compute_url_map.fn_lb_urlmap.id
  ssl_certificates = [google_compute_managed_ssl_certificate.fn_lb_cert.id]
}

# HTTPS forwarding rule on port 443
resource "google_compute_global_forwarding_rule" "fn_lb_https_fr" {
  name                  = "fn-lb-https-fr"
  description           = "[serverless-lb:fn-lb] HTTPS forwarding rule on port 443"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  ip_protocol           = "TCP"
  port_range            = "443"
  ip_address            = google_compute_global_address.fn_lb_ip.id
  target                = google_compute_target_https_proxy.fn_lb_https_proxy.id
  network_tier          = "PREMIUM"
  labels                = {
    "serverless-lb" = "fn-lb"
  }
}

# let allUsers invoke Cloud Run service hello-fn in europe-west1 (the load balancer's requests)
resource "google_cloud_run_v2_service_iam_member" "hello_fn" {
  project    = var.project
  location   = "europe-west1"
  name       = "hello-fn"
  role       = "roles/run.invoker"
  member     = "allUsers"
  depends_on = [google_compute_global_forwarding_rule.fn_lb_https_fr]
}

# Cloud Run service hello-fn (europe-west1): not managed by this configuration.
# restrict ingress of Cloud Run service hello-fn in europe-west1 to internal traffic and Cloud Load Balancing. Restrict its ingress so the run.app URL cannot bypass the load balancer:
#   gcloud run services update hello-fn --region=europe-west1 --ingress=internal-and-cloud-load-balancing --project=demo-project
